/**
 * The Stripe sandbox speaks Stripe's wire format: the official `stripe` client works against
 * it unchanged (pagination, expand, filters, error classes, webhook signatures), and raw HTTP
 * shows the list envelope, cursors, bracket parameters and the admin surface.
 */
import Stripe from 'stripe';
import type { RunningSandbox } from '../sandbox/kit/sandbox-server.ts';
import { SEED_COUNTS } from '../sandbox/stripe/data.ts';
import { startStripe, STRIPE_SANDBOX_SECRET_KEY } from '../sandbox/stripe/server.ts';
import { signStripeEvent, stripeEvent } from '../sandbox/stripe/webhook-event.ts';

interface RawList {
  object: string;
  data: Array<{ id: string; created: number; customer: unknown }>;
  has_more: boolean;
  url: string;
}

let sandbox: RunningSandbox;
let stripe: Stripe;

/** A client for `key`, without retries so error cases answer at once. */
function clientFor(key: string): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port: sandbox.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
}

async function get(path: string, key: string | null = STRIPE_SANDBOX_SECRET_KEY): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${sandbox.url}${path}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function admin(path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sandbox.url}/__admin/${path}`, {
    method: body === undefined && path === 'stats' ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  return response.json();
}

beforeAll(async () => {
  sandbox = await startStripe({ port: 0, secretKey: STRIPE_SANDBOX_SECRET_KEY });
  stripe = clientFor(STRIPE_SANDBOX_SECRET_KEY);
});

afterAll(async () => {
  await sandbox.close();
});

describe('Stripe sandbox with the official client', () => {
  test('auto-pagination walks every charge once, newest first', async () => {
    const charges = await stripe.charges.list({ limit: 25 }).autoPagingToArray({ limit: 1000 });
    expect(charges).toHaveLength(SEED_COUNTS.charges);
    expect(new Set(charges.map((charge) => charge.id)).size).toBe(SEED_COUNTS.charges);
    for (let i = 1; i < charges.length; i += 1) {
      expect(charges[i - 1]!.created).toBeGreaterThanOrEqual(charges[i]!.created);
    }
    const first = charges[0]!;
    expect(first).toMatchObject({ object: 'charge', livemode: false });
    expect(first.id).toMatch(/^ch_/);
    expect(first.payment_method_details?.card?.last4).toMatch(/^\d{4}$/);
    expect(['succeeded', 'pending', 'failed']).toContain(first.status);
  });

  test('manual starting_after pages match auto-pagination', async () => {
    const all = await stripe.charges.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    const walked: string[] = [];
    let page = await stripe.charges.list({ limit: 40 });
    let pages = 1;
    walked.push(...page.data.map((charge) => charge.id));
    while (page.has_more) {
      page = await stripe.charges.list({ limit: 40, starting_after: page.data.at(-1)!.id });
      pages += 1;
      walked.push(...page.data.map((charge) => charge.id));
    }
    expect(pages).toBe(Math.ceil(SEED_COUNTS.charges / 40));
    expect(walked).toEqual(all.map((charge) => charge.id));
  });

  test('retrieve with expand replaces the customer id with the customer', async () => {
    const [listed] = (await stripe.charges.list({ limit: 1 })).data;
    const charge = await stripe.charges.retrieve(listed!.id, { expand: ['customer'] });
    const customer = charge.customer as Stripe.Customer;
    expect(customer.object).toBe('customer');
    expect(customer.id).toBe(listed!.customer);
    expect(charge.receipt_email).toBe(customer.email);
  });

  test('customers filter by exact email', async () => {
    const [someone] = (await stripe.customers.list({ limit: 5 })).data;
    const found = await stripe.customers.list({ email: someone!.email! });
    expect(found.data.map((customer) => customer.id)).toEqual([someone!.id]);
    expect((await stripe.customers.list({ email: someone!.email!.toUpperCase() })).data).toEqual([]);
    expect((await stripe.customers.retrieve(someone!.id)).id).toBe(someone!.id);
  });

  test('charges filter by customer', async () => {
    const [charge] = (await stripe.charges.list({ limit: 1 })).data;
    const ofCustomer = await stripe.charges.list({ customer: charge!.customer as string, limit: 100 });
    expect(ofCustomer.data.length).toBeGreaterThan(0);
    expect(ofCustomer.data.every((other) => other.customer === charge!.customer)).toBe(true);
  });

  test('balance has available and pending funds per currency', async () => {
    const balance = await stripe.balance.retrieve();
    expect(balance.object).toBe('balance');
    expect(balance.livemode).toBe(false);
    const usd = balance.available.find((entry) => entry.currency === 'usd');
    expect(usd?.amount).toBeGreaterThan(0);
    expect(balance.pending.map((entry) => entry.currency).sort()).toEqual(['eur', 'usd']);
  });

  test('subscriptions leave canceled ones out unless asked for', async () => {
    const all = await stripe.subscriptions.list({ status: 'all', limit: 100 });
    expect(all.data).toHaveLength(SEED_COUNTS.subscriptions);
    const canceled = all.data.filter((subscription) => subscription.status === 'canceled').length;
    expect(canceled).toBeGreaterThan(0);
    expect((await stripe.subscriptions.list({ limit: 100 })).data).toHaveLength(SEED_COUNTS.subscriptions - canceled);
    const active = await stripe.subscriptions.list({ status: 'active', limit: 100 });
    expect(active.data.every((subscription) => subscription.status === 'active')).toBe(true);
    const item = all.data[0]!.items.data[0]!;
    expect(item.current_period_end).toBeGreaterThan(item.current_period_start);
    expect(item.price.unit_amount).toBeGreaterThan(0);
  });

  test('an unknown id is a StripeInvalidRequestError with resource_missing', async () => {
    const failure = await stripe.charges.retrieve('ch_missing').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(failure).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id', message: "No such charge: 'ch_missing'" });
    expect((failure as Stripe.errors.StripeError).requestId).toMatch(/^req_/);
  });

  test('a wrong key is a StripeAuthenticationError', async () => {
    const failure = await clientFor('sk_test_not_the_key_1234').balance.retrieve().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((failure as Stripe.errors.StripeError).message).toContain('Invalid API Key provided: sk_test_');
    expect((failure as Stripe.errors.StripeError).message).toContain('1234');
  });

  test('signed events pass stripe.webhooks.constructEvent', () => {
    const secret = 'whsec_sandbox_test';
    const { body, header } = signStripeEvent(secret, stripeEvent('charge.succeeded', { id: 'ch_1', object: 'charge' }));
    const event = stripe.webhooks.constructEvent(body, header, secret);
    expect(event.type).toBe('charge.succeeded');
    expect(() => stripe.webhooks.constructEvent(body, header, 'whsec_other')).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});

describe('Stripe sandbox over raw HTTP', () => {
  test('lists carry the Stripe envelope and a Request-Id', async () => {
    const { status, headers, body } = await get('/v1/customers?limit=3');
    expect(status).toBe(200);
    expect(headers.get('request-id')).toMatch(/^req_/);
    expect(body).toMatchObject({ object: 'list', has_more: true, url: '/v1/customers' });
    expect(body.data).toHaveLength(3);
  });

  test('ending_before returns the page before the cursor, newest first', async () => {
    const first: RawList = (await get('/v1/charges?limit=10')).body;
    const second: RawList = (await get(`/v1/charges?limit=10&starting_after=${first.data.at(-1)!.id}`)).body;
    const back: RawList = (await get(`/v1/charges?limit=10&ending_before=${second.data[0]!.id}`)).body;
    expect(back.data.map((charge) => charge.id)).toEqual(first.data.map((charge) => charge.id));
    expect(back.has_more).toBe(false);
    const partial: RawList = (await get(`/v1/charges?limit=3&ending_before=${second.data[0]!.id}`)).body;
    expect(partial.data.map((charge) => charge.id)).toEqual(first.data.slice(-3).map((charge) => charge.id));
    expect(partial.has_more).toBe(true);
  });

  test('created[gte] and created[lt] bound the list', async () => {
    const all: RawList = (await get('/v1/charges?limit=100')).body;
    const threshold = all.data[30]!.created;
    const recent: RawList = (await get(`/v1/charges?limit=100&created[gte]=${threshold}`)).body;
    expect(recent.data.length).toBe(all.data.filter((charge) => charge.created >= threshold).length);
    expect(recent.data.every((charge) => charge.created >= threshold)).toBe(true);
    const older: RawList = (await get(`/v1/charges?limit=100&created%5Blt%5D=${threshold}`)).body;
    expect(older.data.every((charge) => charge.created < threshold)).toBe(true);
    // The two ranges meet exactly: the newest older charge follows the oldest recent one.
    expect(older.data[0]!.id).toBe(all.data[recent.data.length]!.id);
  });

  test('expand[]=data.customer and expand[0]=data.customer expand every item', async () => {
    for (const param of ['expand[]', 'expand[0]']) {
      const list: RawList = (await get(`/v1/charges?limit=5&${encodeURIComponent(param)}=data.customer`)).body;
      for (const charge of list.data) expect(charge.customer).toMatchObject({ object: 'customer', id: expect.stringMatching(/^cus_/) });
    }
    const refused = await get('/v1/charges?expand[]=data.invoice');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', param: 'expand' });
  });

  test('bad limits and unknown cursors answer like Stripe', async () => {
    for (const limit of ['0', '101', 'ten']) {
      const { status, body } = await get(`/v1/charges?limit=${limit}`);
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ type: 'invalid_request_error', param: 'limit' });
    }
    const missing = await get('/v1/charges?starting_after=ch_unknown');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'starting_after' });
  });

  test('missing key is 401; Basic auth with the key as user name is accepted', async () => {
    const anonymous = await get('/v1/balance', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.type).toBe('invalid_request_error');
    const basic = await fetch(`${sandbox.url}/v1/balance`, {
      headers: { Authorization: `Basic ${Buffer.from(`${STRIPE_SANDBOX_SECRET_KEY}:`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
  });

  test('injected faults use Stripe errors; reset and stats work', async () => {
    try {
      await admin('faults', { rateLimited: true });
      const limited = await get('/v1/balance');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(limited.body.error).toMatchObject({ type: 'invalid_request_error', code: 'rate_limit' });
      await expect(stripe.balance.retrieve()).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);

      await admin('faults', { rateLimited: false, down: true });
      const down = await get('/v1/balance');
      expect(down.status).toBe(503);
      expect(down.body.error.type).toBe('api_error');
    } finally {
      await admin('reset', {});
    }
    await get('/v1/balance');
    await get('/v1/charges?limit=1');
    expect(await admin('stats')).toEqual({ requests: 2 });
  });
});
