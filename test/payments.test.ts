/**
 * The payments subgraph through the gateway against the Stripe sandbox: each role's view,
 * the same data the official client sees, cursor pages, no N+1, caching, signed webhooks
 * and Retry-After, all read from the sandbox's request counts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { SEED_COUNTS } from '../sandbox/stripe/data.ts';
import { signStripeEvent, stripeEvent } from '../sandbox/stripe/webhook-event.ts';
import { signWebhook } from '../kit/webhook-signature.ts';
import { STRIPE_WEBHOOK_PATH } from '../subgraphs/payments/webhooks.ts';
import { eventually, sandboxRequests, setFaults, startTestStack, type TestStack } from './support/stack.ts';

const OLD_SECRET = 'whsec_test_old';
const NEW_SECRET = 'whsec_test_new';

interface ChargeNode {
  id: string;
  amount: { amount: number; currency: string; formatted: string };
  status: string;
  receiptEmail: string | null;
  paymentMethodLast4: string | null;
  customer: { id: string; name: string; email: string; phone: string } | null;
}
interface ChargePage {
  charges: { edges: { cursor: string; node: ChargeNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const CHARGES = `query ($first: Int, $after: String, $createdFrom: String) {
  charges(first: $first, after: $after, createdFrom: $createdFrom) {
    edges { cursor node { id amount { amount currency formatted } status receiptEmail paymentMethodLast4 customer { id name email phone } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CHARGE = `query ($id: ID!) { charge(id: $id) { id amount { amount currency } receiptEmail customer { id email phone } } }`;

describe('payments through the gateway', () => {
  let stack: TestStack;
  let stripe: Stripe;
  let viewer: string;
  let admin: string;
  const requests = () => sandboxRequests(stack.stripe.url);

  beforeAll(async () => {
    stack = await startTestStack({ env: { STRIPE_WEBHOOK_SECRETS: `${OLD_SECRET},${NEW_SECRET}` } });
    stripe = new Stripe(stack.upstreams.stripe.secretKey, { host: '127.0.0.1', port: stack.stripe.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
    viewer = await stack.token('VIEWER');
    admin = await stack.token('ADMIN');
  });
  afterAll(async () => {
    await stack.close();
  });

  async function webhook(body: string, header: string): Promise<number> {
    const url = stack.subgraphs.get('payments')!.url.replace(/\/graphql$/, STRIPE_WEBHOOK_PATH);
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header }, body });
    await response.body?.cancel();
    return response.status;
  }

  it('serves a page of 50 charges with their customers in at most 3 Stripe requests (cold cache, no N+1)', async () => {
    await stack.resetSandboxes();
    const { body } = await stack.query<ChargePage>(CHARGES, { token: viewer, variables: { first: 50 } });
    expect(body.errors).toBeUndefined();
    const edges = body.data!.charges.edges;
    expect(edges).toHaveLength(50);
    expect(edges.every((edge) => edge.node.customer?.id.startsWith('cus_'))).toBe(true);
    expect(await requests()).toBeLessThanOrEqual(3);
  });

  it('answers the same query from the cache without asking Stripe', async () => {
    await stack.resetSandboxes();
    const { body } = await stack.query<ChargePage>(CHARGES, { token: viewer, variables: { first: 50 } });
    expect(body.data!.charges.edges).toHaveLength(50);
    expect(await requests()).toBe(0);
  });

  it('shows a VIEWER emails and phones masked', async () => {
    const { body } = await stack.query<ChargePage>(CHARGES, { token: viewer, variables: { first: 5 } });
    expect(body.errors).toBeUndefined();
    for (const { node } of body.data!.charges.edges) {
      expect(node.receiptEmail).toMatch(/^[a-z]\*\*\*@example\.com$/);
      expect(node.customer!.email).toMatch(/^[a-z]\*\*\*@example\.com$/);
      expect(node.customer!.phone).toMatch(/^\*\*\*-\*\*\*-\d{4}$/);
      expect(node.customer!.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    }
  });

  it('shows an ADMIN the same values plain, as Stripe has them', async () => {
    const { body } = await stack.query<ChargePage>(CHARGES, { token: admin, variables: { first: 5 } });
    expect(body.errors).toBeUndefined();
    for (const { node } of body.data!.charges.edges) {
      const charge = await stripe.charges.retrieve(node.id, { expand: ['customer'] });
      const customer = charge.customer as Stripe.Customer;
      expect(node.receiptEmail).toBe(charge.receipt_email);
      expect(node.customer).toEqual({ id: customer.id, name: customer.name, email: customer.email, phone: customer.phone });
    }
  });

  it('refuses an OPERATOR (no payments:read) with FORBIDDEN', async () => {
    const { body } = await stack.query(`{ paymentsBalance { available { amount } } charges(first: 1) { edges { cursor } } }`, {
      token: await stack.token('OPERATOR'),
    });
    expect(body.data).toEqual({ paymentsBalance: null, charges: null });
    expect(body.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
    expect(body.errors?.every((error) => error.extensions?.code === 'FORBIDDEN')).toBe(true);
  });

  it('lists the same ids and amounts as the official client, over several pages', async () => {
    const expected = await stripe.charges.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    expect(expected).toHaveLength(SEED_COUNTS.charges);
    const seen: ChargeNode[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response: { body: { data?: ChargePage | null; errors?: unknown } } = await stack.query<ChargePage>(CHARGES, { token: viewer, variables: { first: 40, after } });
      expect(response.body.errors).toBeUndefined();
      const { edges, pageInfo }: ChargePage['charges'] = response.body.data!.charges;
      seen.push(...edges.map((edge) => edge.node));
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
      pages += 1;
    } while (after && pages < 10);
    expect(pages).toBe(Math.ceil(SEED_COUNTS.charges / 40));
    expect(seen.map((charge) => charge.id)).toEqual(expected.map((charge) => charge.id));
    expect(seen.map((charge) => [charge.amount.amount, charge.amount.currency])).toEqual(expected.map((charge) => [charge.amount, charge.currency.toUpperCase()]));
    const card = expected[3]!.payment_method_details?.card?.last4;
    expect(seen[3]!.paymentMethodLast4).toBe(card);
  });

  it('retrieves one charge, customers and the balance as the official client does', async () => {
    const [sample] = (await stripe.charges.list({ limit: 1, created: { lte: Math.floor(Date.now() / 1000) - 30 * 86_400 } })).data;
    const { body } = await stack.query<{ charge: { id: string; amount: { amount: number; currency: string }; customer: { id: string } } }>(CHARGE, {
      token: viewer,
      variables: { id: sample!.id },
    });
    expect(body.data!.charge).toMatchObject({ id: sample!.id, amount: { amount: sample!.amount, currency: sample!.currency.toUpperCase() }, customer: { id: sample!.customer } });

    const customers = await stripe.customers.list({ limit: 10 });
    const listed = await stack.query<{ customers: { edges: { node: { id: string; name: string } }[] } }>(`{ customers(first: 10) { edges { node { id name } } } }`, { token: viewer });
    expect(listed.body.data!.customers.edges.map((edge) => edge.node)).toEqual(customers.data.map((customer) => ({ id: customer.id, name: customer.name })));

    const balance = await stripe.balance.retrieve();
    const served = await stack.query<{ paymentsBalance: { available: { amount: number; currency: string }[] } }>(`{ paymentsBalance { available { amount currency } } }`, { token: viewer });
    expect(served.body.data!.paymentsBalance.available).toEqual(balance.available.map((entry) => ({ amount: entry.amount, currency: entry.currency.toUpperCase() })));

    const missing = await stack.query<{ charge: null }>(CHARGE, { token: viewer, variables: { id: 'ch_doesnotexist' } });
    expect(missing.body.errors).toBeUndefined();
    expect(missing.body.data!.charge).toBeNull();
  });

  it('checks page arguments and cursors before asking Stripe', async () => {
    await stack.resetSandboxes();
    for (const variables of [{ first: 0 }, { first: 51 }, { first: 5, after: 'bm90LWEtY3Vyc29y' }, { first: 5, createdFrom: 'yesterday' }]) {
      const { body } = await stack.query(CHARGES, { token: viewer, variables });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await requests()).toBe(0);
    // A well-formed cursor naming a charge Stripe does not know: Stripe says so, the caller hears BAD_USER_INPUT.
    const forged = Buffer.from('charges:ch_forged000').toString('base64url');
    const { body } = await stack.query(CHARGES, { token: viewer, variables: { first: 5, after: forged } });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  describe('webhooks', () => {
    const chargeId = async () => (await stripe.charges.list({ limit: 1 })).data[0]!.id;

    /** Warms the cache for one charge and a list page, and zeroes the counters. */
    async function warm(id: string): Promise<void> {
      await stack.query(CHARGE, { token: viewer, variables: { id } });
      await stack.query(CHARGES, { token: viewer, variables: { first: 3 } });
      await stack.resetSandboxes();
      await stack.query(CHARGE, { token: viewer, variables: { id } });
      await stack.query(CHARGES, { token: viewer, variables: { first: 3 } });
      expect(await requests()).toBe(0);
    }

    async function refetches(id: string): Promise<number> {
      await stack.query(CHARGE, { token: viewer, variables: { id } });
      await stack.query(CHARGES, { token: viewer, variables: { first: 3 } });
      return requests();
    }

    it('a valid signature invalidates the charge and the list pages: the next queries refetch', async () => {
      const id = await chargeId();
      await warm(id);
      const { body, header } = signStripeEvent(OLD_SECRET, stripeEvent('charge.updated', { id, object: 'charge' }));
      expect(await webhook(body, header)).toBe(200);
      expect(await refetches(id)).toBe(2);
    });

    it('a signature made with the second (rotated-in) secret passes', async () => {
      const id = await chargeId();
      await warm(id);
      const { body, header } = signStripeEvent(NEW_SECRET, stripeEvent('charge.refunded', { id, object: 'charge' }));
      expect(await webhook(body, header)).toBe(200);
      expect(await refetches(id)).toBe(2);
    });

    it('several v1 values: one matching is enough', async () => {
      const id = await chargeId();
      await warm(id);
      const body = JSON.stringify(stripeEvent('customer.updated', { id: 'cus_x', object: 'customer' }));
      const good = signWebhook(NEW_SECRET, body);
      const header = `${good.split(',')[0]},v1=${'0'.repeat(64)},${good.split(',')[1]}`;
      expect(await webhook(body, header)).toBe(200);
      // A customer change drops list pages (they embed customers) but not the charge.
      expect(await refetches(id)).toBe(1);
    });

    it.each([
      ['stale', () => signStripeEvent(OLD_SECRET, stripeEvent('charge.updated', { id: 'ch_x', object: 'charge' }), Math.floor(Date.now() / 1000) - 6 * 60)],
      ['tampered', () => {
        const signed = signStripeEvent(OLD_SECRET, stripeEvent('charge.updated', { id: 'ch_x', object: 'charge' }));
        return { body: signed.body.replace('ch_x', 'ch_y'), header: signed.header };
      }],
      ['signed with an unknown secret', () => signStripeEvent('whsec_someone_else', stripeEvent('charge.updated', { id: 'ch_x', object: 'charge' }))],
      ['unsigned', () => ({ body: JSON.stringify(stripeEvent('charge.updated', { id: 'ch_x', object: 'charge' })), header: '' })],
    ])('a %s event is refused with 401 and changes nothing', async (_name, make) => {
      const id = await chargeId();
      await warm(id);
      const { body, header } = make();
      expect(await webhook(body, header)).toBe(401);
      expect(await refetches(id)).toBe(0);
    });
  });

  it('retries a 429 after its Retry-After, within the retry budget', async () => {
    await stack.resetSandboxes();
    await setFaults(stack.stripe.url, { rateLimited: true });
    const started = Date.now();
    const pending = stack.query<{ customers: { edges: unknown[] } }>(`{ customers(first: 7) { edges { node { id } } } }`, { token: viewer });
    // The first attempt met the 429; lift it long before its Retry-After (1 s) runs out.
    await eventually(async () => ((await requests()) >= 1 ? true : undefined), { timeoutMs: 5_000, everyMs: 10 });
    await setFaults(stack.stripe.url, { rateLimited: false });
    const { body } = await pending;
    expect(body.errors).toBeUndefined();
    expect(body.data!.customers.edges).toHaveLength(7);
    expect(await requests()).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });
});

describe('customers by email', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('needs pii:read, since a full address would undo the masking', async () => {
    const admin = await stack.token('ADMIN');
    const first = await stack.query<{ customers: { edges: { node: { email: string } }[] } }>(`{ customers(first: 1) { edges { node { email } } } }`, { token: admin });
    const email = first.body.data!.customers.edges[0]!.node.email;
    const query = `query ($email: String) { customers(first: 5, email: $email) { edges { node { id email } } } }`;

    const viewer = await stack.query(query, { token: await stack.token('VIEWER'), variables: { email } });
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const plain = await stack.query<{ customers: { edges: { node: { email: string } }[] } }>(query, { token: admin, variables: { email } });
    expect(plain.body.errors).toBeUndefined();
    expect(plain.body.data!.customers.edges.map((edge) => edge.node.email)).toEqual([email]);
  });
});
