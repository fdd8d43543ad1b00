/**
 * Hostile callers cannot flood the audit log or get around the gateway's rules: refusals
 * are capped per source address across every entry point (then summed up), X-Forwarded-For
 * counts only from a trusted proxy, tokens without a subject or living too long are refused
 * with an RFC 6750 challenge, roles limited to trusted documents send nothing else, and
 * /metrics needs its token.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient as createSseClient } from 'graphql-sse';
import WebSocket from 'ws';
import { loadSettings } from '../config/settings.ts';
import { readSubgraphSettings } from '../config/subgraph-settings.ts';
import { paymentsSettings } from '../subgraphs/payments/settings.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';
import { clientAddress } from '../kit/client-address.ts';
import { eventually, startTestStack, TWO_REQUESTS_A_DAY, type TestStack } from './support/stack.ts';

const QUERY = `{ plantApiStatus { up } }`;

async function events(stack: TestStack, type: string): Promise<{ actor: string; details: string }[]> {
  const { body } = await stack.query<{ auditEvents: { edges: { node: { actor: string; details: string } }[] } }>(
    `query ($type: AuditEventType) { auditEvents(filter: { type: $type }, first: 50) { edges { node { actor details } } } }`,
    { token: await stack.token('AUDITOR'), variables: { type } },
  );
  if (!body.data?.auditEvents) throw new Error(`the audit log did not answer: ${JSON.stringify(body.errors)}`);
  return body.data?.auditEvents.edges.map((edge) => edge.node) ?? [];
}

describe('refused requests from one address', () => {
  const WINDOW_MS = 2000;
  let stack: TestStack;
  beforeAll(async () => {
    // The auditor polls the log until every refusal is in: its own rate limit out of reach.
    stack = await startTestStack({ env: { REFUSED_PER_ADDRESS_PER_WINDOW: '5', REFUSED_WINDOW_MS: String(WINDOW_MS), RATE_LIMIT_PLANS: 'basic=1000000/1000000' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('are audited up to the cap across HTTP, WebSocket, SSE and webhooks, then summed up in one event', async () => {
    const startedAt = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1) statuses.push((await stack.query(QUERY, { token: 'not-a-token' })).status);
    for (let i = 0; i < 20; i += 1) {
      const socket = new WebSocket(stack.gateway!.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer not-a-token' } }));
      await closed;
    }
    for (let i = 0; i < 20; i += 1) {
      const response = await fetch(`${stack.gateway!.url}/stream`, { method: 'POST', headers: { accept: 'text/event-stream', authorization: 'Bearer not-a-token', 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
      await response.body?.cancel();
    }
    const webhook = stack.subgraphs.get('plants')!.url.replace(/\/graphql$/, '/webhooks/plant-api');
    for (let i = 0; i < 20; i += 1) statuses.push((await fetch(webhook, { method: 'POST', headers: { 'x-plant-signature': 't=1,v1=00' }, body: '{}' })).status);
    // The cap's windows are aligned to the clock: on a slow machine the 80 requests may span
    // more than one, and each window audits its own first 5.
    const windows = Math.floor(Date.now() / WINDOW_MS) - Math.floor(startedAt / WINDOW_MS) + 1;
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    if (windows === 1) expect(statuses.at(19)).toBe(429);
    expect(statuses.at(-1)).toBe(429);

    // 80 refusals: the first 5 of a window audited one by one, the rest in summaries once their window is over; none lost.
    const oneByOne = async () => [...(await events(stack, 'AUTH_FAILURE')), ...(await events(stack, 'WEBHOOK_REJECTED'))];
    const summaries = await eventually(
      async () => {
        const found = await events(stack, 'REFUSALS_SUMMARY');
        const counted = found.reduce((sum, event) => sum + Number(JSON.parse(event.details).count), 0);
        return counted + (await oneByOne()).length === 80 ? found : undefined;
      },
      {
        timeoutMs: 30_000,
        everyMs: 200,
        describe: async () => {
          const found = await events(stack, 'REFUSALS_SUMMARY');
          return `80 refusals audited or summed up (${(await oneByOne()).length} one by one, summaries ${JSON.stringify(found.map((event) => JSON.parse(event.details) as unknown))}, statuses ${statuses.join(',')}, ${windows} windows)`;
        },
      },
    );
    // One summary per window from each process that refused (the gateway, the plants subgraph).
    expect(summaries.length).toBeLessThanOrEqual(2 * windows);
    expect(JSON.parse(summaries[0]!.details).address).toMatch(/127\.0\.0\.1/);
    const audited = await oneByOne();
    expect(audited.length).toBeGreaterThanOrEqual(5);
    expect(audited.length).toBeLessThanOrEqual(5 * windows);
    if (windows === 1) expect(audited).toHaveLength(5);
  });
});

describe('the address of a request', () => {
  const request = (remoteAddress: string, forwarded?: string) => ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {}, connection: { remoteAddress } }) as never;

  it('is the socket peer unless that peer is a trusted proxy', () => {
    expect(clientAddress([])(request('127.0.0.1', '203.0.113.9'))).toBe('127.0.0.1');
    expect(clientAddress(['loopback'])(request('127.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(clientAddress(['10.0.0.0/8'])(request('127.0.0.1', '203.0.113.9'))).toBe('127.0.0.1');
    // A spoofed hop before the trusted proxy is not believed past the first untrusted address.
    expect(clientAddress(['loopback'])(request('127.0.0.1', '198.51.100.1, 203.0.113.9'))).toBe('203.0.113.9');
  });
});

describe('tokens, trusted documents and operator routes', () => {
  let stack: TestStack;
  const metricsToken = randomUUID();
  beforeAll(async () => {
    stack = await startTestStack({ env: { GATEWAY_TRUSTED_DOCUMENTS_ONLY: 'VIEWER', METRICS_TOKEN: metricsToken, AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each([
    ['a token without a subject', { subject: null }, /names no subject/],
    ['a token that lives longer than allowed', { lifetimeSeconds: 7200 }, /lives longer/],
  ])('refuses %s with 401 and a Bearer challenge', async (_name, options, message) => {
    const token = await stack.signedToken({ claims: { roles: ['ANALYST'] }, ...options });
    const { status, headers, body } = await stack.query(QUERY, { token });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toMatch(message);
    expect(headers.get('www-authenticate')).toMatch(/^Bearer realm="federated-api", error="invalid_token"/);
  });

  it('challenges a request without a token with the scheme alone', async () => {
    const { status, headers } = await stack.query(QUERY);
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer realm="federated-api"');
  });

  it('lets a VIEWER send only the registered operations, by hash, while an ANALYST keeps free queries', async () => {
    const text = readFileSync(new URL('../schema/operations/plants-dashboard.graphql', import.meta.url), 'utf8');
    const sha256Hash = createHash('sha256').update(text).digest('hex');
    const viewer = await stack.token('VIEWER');
    const byHash = await fetch(stack.gateway!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer}` },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash } }, variables: {} }),
    });
    const answered = (await byHash.json()) as { data?: { plants: { totalCount: number } } };
    expect(answered.data?.plants.totalCount).toBe(120);

    const free = await stack.query(QUERY, { token: viewer });
    expect(free.status).toBe(403);
    expect(free.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(free.body.errors?.[0]?.message).toMatch(/only the registered operations/);

    expect((await stack.query(QUERY, { token: await stack.token('ANALYST') })).status).toBe(200);
  });

  it('keeps /metrics for the bearer of its token', async () => {
    const metrics = stack.gateway!.url.replace(/\/graphql$/, '/metrics');
    expect((await fetch(metrics)).status).toBe(401);
    const scrape = await fetch(metrics, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toMatch(/# TYPE /);
  });
});

describe('denied fields', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('each name their own field', async () => {
    const { body } = await stack.query(`{ account(id: "acc-001", institutionId: "inst-001") { id } member(id: "mem-001", institutionId: "inst-001") { id } holidays(institutionId: "inst-001", year: 2026) { date } }`, {
      token: await stack.token('VIEWER'),
    });
    expect(body.errors?.map((error) => [error.path?.[0], error.message])).toEqual([
      ['account', 'Not allowed to read Query.account.'],
      ['member', 'Not allowed to read Query.member.'],
      ['holidays', 'Not allowed to read Query.holidays.'],
    ]);
  });
});

describe('production settings', () => {
  const production = (overrides: Record<string, string>) => ({
    NODE_ENV: 'production',
    AUTH_ISSUER: 'https://login.example',
    INTERNAL_TOKEN_SECRET: 'x'.repeat(40),
    METRICS_TOKEN: 'metrics',
    PLANT_API_URL: 'https://plants.example',
    PLANT_API_CLIENT_SECRET: 's',
    PLANT_WEBHOOK_SECRET: 's',
    CORE_BANKING_URL: 'https://bank.example',
    CORE_BANKING_CLIENT_SECRET: 's',
    CORE_BANKING_API_KEY: 's',
    STRIPE_URL: 'https://api.stripe.com',
    STRIPE_SECRET_KEY: 's',
    STRIPE_WEBHOOK_SECRETS: 's',
    SENDGRID_URL: 'https://api.sendgrid.com',
    SENDGRID_API_KEY: 's',
    GOOGLE_ANALYTICS_URL: 'https://analyticsdata.googleapis.com',
    GOOGLE_ANALYTICS_TOKEN_URL: 'https://oauth2.googleapis.com/token',
    GOOGLE_ANALYTICS_PROPERTY_ID: '1',
    GOOGLE_ANALYTICS_CLIENT_ID: 'c',
    GOOGLE_ANALYTICS_CLIENT_SECRET: 's',
    GOOGLE_ANALYTICS_REFRESH_TOKEN: 'r',
    ...overrides,
  });

  /** What every service of the registry would read at start in this environment. */
  const everySubgraph = (env: Record<string, string>) => {
    const settings = loadSettings(env);
    return Object.fromEntries(SUBGRAPHS.map((entry) => [entry.name, readSubgraphSettings(entry.settings, settings).values]));
  };

  it('start when every upstream is https and core banking asks TLS 1.3', () => {
    expect(everySubgraph(production({})).banking).toMatchObject({ minTlsVersion: 'TLSv1.3' });
  });

  it.each([
    ['an http upstream', { STRIPE_URL: 'http://api.stripe.com' }, /STRIPE_URL must be an https URL/],
    ['TLS 1.2 towards core banking', { CORE_BANKING_MIN_TLS_VERSION: 'TLSv1.2' }, /CORE_BANKING_MIN_TLS_VERSION must be TLSv1.3/],
    ['a short internal token secret', { INTERNAL_TOKEN_SECRET: 'short' }, /INTERNAL_TOKEN_SECRET must be at least 32/],
    ['an upstream key left at its default', { SENDGRID_API_KEY: '' }, /must be set: SENDGRID_API_KEY/],
  ])('refuse %s, saying so', (_name, overrides, message) => {
    expect(() => everySubgraph(production(overrides))).toThrow(message);
  });

  it('ask each process only for what it uses: the gateway starts without the upstreams\' keys', () => {
    const gatewayOnly = { NODE_ENV: 'production', AUTH_ISSUER: 'https://login.example', INTERNAL_TOKEN_SECRET: 'x'.repeat(40), METRICS_TOKEN: 'metrics' };
    expect(loadSettings(gatewayOnly).mode).toBe('production');
    expect(() => readSubgraphSettings(paymentsSettings, loadSettings(gatewayOnly))).toThrow(/STRIPE_URL, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRETS/);
  });

  it('accept a loopback upstream over http (a sidecar)', () => {
    expect(everySubgraph(production({ PLANT_API_URL: 'http://127.0.0.1:9000' })).plants).toMatchObject({ url: 'http://127.0.0.1:9000' });
  });
});

describe('a subscriber over SSE with a refused token, past the cap', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { REFUSED_PER_ADDRESS_PER_WINDOW: '1', REFUSED_WINDOW_MS: '60000' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('is turned away with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(`${stack.gateway!.url}/stream`, { method: 'POST', headers: { accept: 'text/event-stream', authorization: 'Bearer nope', 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses).toEqual([401, 429]);
    // A valid subscriber from the same address still gets through.
    const client = createSseClient({ url: `${stack.gateway!.url}/stream`, headers: { authorization: `Bearer ${await stack.token('VIEWER')}` }, retryAttempts: 0 });
    const dispose = client.subscribe({ query: 'subscription { plantDowntime { kind } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    try {
      await eventually(() => (stack.gateway!.subscriberCount() === 1 ? true : undefined));
    } finally {
      dispose();
      client.dispose();
    }
  });
});

describe("a subscriber's alerts", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: TWO_REQUESTS_A_DAY });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("count each fan-out query against the subscriber's plan: past it, the plant is null with RATE_LIMITED", async () => {
    const { subscribe, waitForSubscribers, wsClient } = await import('./support/subscribers.ts');
    const client = wsClient(stack, await stack.token('VIEWER', { subject: 'alert-watcher' }));
    const alerts = subscribe(client, { ids: ['plant-044'] });
    try {
      await waitForSubscribers(stack.gateway!, 1);
      await stack.query(`{ plant(id: "plant-044") { status } }`, { token: await stack.token('VIEWER', { subject: 'someone-else' }) });
      for (const status of ['OFFLINE', 'ONLINE', 'OFFLINE']) {
        const seen = alerts.received.length;
        await fetch(`${stack.plantApi.url}/__admin/plants/plant-044`, { method: 'POST', body: JSON.stringify({ status }) });
        await eventually(() => (alerts.received.length > seen ? true : undefined));
      }
      expect(alerts.received.map((alert) => alert.plant?.id ?? null)).toEqual(['plant-044', 'plant-044', null]);
      expect(JSON.stringify(alerts.errors)).toMatch(/RATE_LIMITED/);
    } finally {
      alerts.dispose();
      await client.dispose();
    }
  });
});
