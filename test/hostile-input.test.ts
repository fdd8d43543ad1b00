/**
 * Hostile input cannot hurt other callers. Each attack is sent for real and must be refused
 * before it costs work: a clear error naming the limit, quickly, no upstream call, and at
 * most one audit row.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import WebSocket from 'ws';
import { eventually, startTestStack, type TestStack } from './support/stack.ts';

/** Every request each sandbox served, to prove an attack reached no upstream. */
async function upstreamRequests(stack: TestStack): Promise<number> {
  const counts = await Promise.all(stack.sandboxes.filter((sandbox) => sandbox !== stack.identity).map((sandbox) => sandbox.requests()));
  return counts.reduce((sum, count) => sum + count, 0);
}

/** Stored audit events of a type and actor, once the store has caught up with a later sentinel event. */
async function auditedOf(stack: TestStack, type: string, actor: string): Promise<number> {
  const sentinel = `sentinel-${randomUUID()}`;
  // A refused operation of a sentinel caller: stored after everything emitted before it.
  await stack.query(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: plantApiStatus { up }`).join(' ')} }`, { token: await stack.token('ANALYST', { subject: sentinel }) });
  const auditor = await stack.token('AUDITOR');
  const count = async (who: string, what: string) =>
    (await stack.query<{ auditEvents: { totalCount: number } }>(`query ($f: AuditEventFilter) { auditEvents(filter: $f, first: 1) { totalCount } }`, { token: auditor, variables: { f: { type: what, actor: who } } })).body.data
      ?.auditEvents.totalCount ?? 0;
  await eventually(async () => ((await count(sentinel, 'REQUEST_REFUSED')) === 1 ? true : undefined), { timeoutMs: 30_000, describe: () => 'the sentinel audit event' });
  return count(actor, type);
}

/** No health probe: its calls would count as upstream calls of the attack. */
const NO_PROBE = { PLANT_API_HEALTH_PROBE_MS: '3600000' };

describe('operations that would cost too much', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: NO_PROBE });
  });
  afterAll(async () => {
    await stack.close();
  });

  const attack = async (query: string, subject: string) => {
    const token = await stack.token('ANALYST', { subject });
    const before = await upstreamRequests(stack);
    const started = performance.now();
    const response = await stack.query(query, { token });
    const tookMs = performance.now() - started;
    return { ...response, tookMs, upstreamCalls: (await upstreamRequests(stack)) - before };
  };

  it('refuses 1000 aliases of 50 plants with 50 readings each at once, with no upstream call and one audit row', async () => {
    const alias = (i: number) => `p${i}: plants(first: 50) { edges { node { id name readings(first: 50) { totalCount } } } }`;
    const query = `{ ${Array.from({ length: 1000 }, (_, i) => alias(i)).join(' ')} }`;
    const { status, body, tookMs, upstreamCalls } = await attack(query, 'attacker-aliases');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'tokens', max: 1000 });
    expect(body.errors?.[0]?.message).toMatch(/GATEWAY_MAX_TOKENS/);
    expect(tookMs).toBeLessThan(2000);
    expect(upstreamCalls).toBe(0);
    expect(await auditedOf(stack, 'REQUEST_REFUSED', 'attacker-aliases')).toBe(1);
    console.log(`1000-alias query refused in ${tookMs.toFixed(0)} ms, ${upstreamCalls} upstream calls`);
  });

  it('refuses 5000 aliases of the schema introspection at once, without building an answer', async () => {
    const query = `{ ${Array.from({ length: 5000 }, (_, i) => `s${i}: __schema { types { fields { name } } }`).join(' ')} }`;
    const { status, body, tookMs, upstreamCalls } = await attack(query, 'attacker-introspection');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'tokens' });
    expect(tookMs).toBeLessThan(2000);
    expect(upstreamCalls).toBe(0);
    expect(JSON.stringify(body).length).toBeLessThan(2000);
    console.log(`5000-alias introspection refused in ${tookMs.toFixed(0)} ms, ${upstreamCalls} upstream calls`);
  });

  it.each([
    ['too many aliases', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: plant(id: "plant-00${i % 9 + 1}") { id }`).join(' ')} }`, 'aliases', 15],
    ['too deep', `{ customers(first: 1) { ${'edges { node { charges(first: 1) { edges { node { customer { '.repeat(3)}id${' } } } } } }'.repeat(3)} } }`, 'depth', 12],
    [
      'too costly (50 customers x 50 charges x 50 charges)',
      `{ customers(first: 50) { edges { node { charges(first: 50) { edges { node { customer { charges(first: 50) { edges { node { id } } } } } } } } } } }`,
      'cost',
      5000,
    ],
    ['introspection repeated', `{ ${Array.from({ length: 6 }, (_, i) => `i${i}: __type(name: "Plant") { name }`).join(' ')} }`, 'introspection', 5],
    [
      'introspection nested deeper than a client needs',
      `{ __type(name: "Plant") { ${'fields { type { ofType { '.repeat(6)}name${' } } }'.repeat(6)} } }`,
      'introspectionDepth',
      16,
    ],
  ])('refuses %s before any resolver runs', async (_name, query, limit, max) => {
    const { status, body, upstreamCalls } = await attack(query, `attacker-${limit}`);
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit, max });
    expect(upstreamCalls).toBe(0);
  });

  it('estimates the same operation again for other variables (a cheap page first does not let a costly one through)', async () => {
    const query = `query ($n: Int) { customers(first: $n) { edges { node { charges(first: $n) { edges { node { customer { charges(first: $n) { edges { node { id } } } } } } } } } } }`;
    const token = await stack.token('ANALYST', { subject: 'attacker-cost-variables' });
    const cheap = await stack.query(query, { token, variables: { n: 2 } });
    expect(cheap.status).toBe(200);
    const costly = await stack.query(query, { token, variables: { n: 50 } });
    expect(costly.status).toBe(400);
    expect(costly.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'cost' });
    expect((await stack.query(query, { token, variables: { n: 2 } })).status).toBe(200);
  });

  it('refuses more root fields than the limit', async () => {
    const query = `{ ${['plantApiStatus { up }', 'paymentsBalance { available { amount } }', 'emailStats(from: "2026-01-01", to: "2026-01-02") { date }', 'plants(first: 1) { totalCount }', 'charges(first: 1) { edges { cursor } }', 'customers(first: 1) { edges { cursor } }', 'subscriptions(first: 1) { edges { cursor } }', 'emailBounces(first: 1) { edges { cursor } }', 'webTraffic(from: "2026-01-01", to: "2026-01-02") { date }', 'topPages(from: "2026-01-01", to: "2026-01-02") { totalCount }', 'holidays(institutionId: "inst-001", year: 2026) { date }'].join(' ')} }`;
    const { status, body, upstreamCalls } = await attack(query, 'attacker-roots');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'rootFields', max: 10, found: 11 });
    expect(upstreamCalls).toBe(0);
  });

  it('still answers what clients need: the standard introspection query and a dashboard page', async () => {
    const token = await stack.token('ANALYST');
    const introspection = await stack.query(getIntrospectionQuery(), { token });
    expect(introspection.status).toBe(200);
    expect(introspection.body.errors).toBeUndefined();
    const readings = await stack.query(`{ plants(first: 50) { edges { node { readings(first: 50) { totalCount } } } } }`, { token });
    expect(readings.body.errors).toBeUndefined();
  });
});

describe('subgraphs called around the gateway', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: NO_PROBE });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("refuse a caller's own token on every subgraph port, audit it once each, and call no upstream", async () => {
    const token = await stack.token('ADMIN', { subject: 'bypasser' });
    const before = await upstreamRequests(stack);
    const entities = `{ _entities(representations: [{ __typename: "Account", id: "acc-001" }]) { ... on Account { id } } }`;
    for (const [name, subgraph] of stack.subgraphs) {
      const { status, body, headers } = await stack.query(entities, { token, url: subgraph.url });
      expect([name, status]).toEqual([name, 401]);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    expect(await upstreamRequests(stack)).toBe(before);
    // Each subgraph audits its own refusal, once.
    const auditor = await stack.token('AUDITOR');
    const stored = async () =>
      (await stack.query<{ auditEvents: { edges: { node: { service: string } }[] } }>(`{ auditEvents(filter: { type: AUTH_FAILURE }, first: 50) { edges { node { service } } } }`, { token: auditor })).body.data?.auditEvents.edges.map((edge) => edge.node.service).sort();
    const expected = [...stack.subgraphs.keys()].sort();
    await eventually(async () => (JSON.stringify(await stored()) === JSON.stringify(expected) ? true : undefined), { timeoutMs: 30_000, describe: async () => `one refusal per subgraph (have ${JSON.stringify(await stored())})` });
  });
});

describe('frames and bodies', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('closes a socket whose connection_init is larger than a frame may be, before reading it (1009)', async () => {
    const socket = new WebSocket(stack.gateway!.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
  });

  it('answers 413 to an SSE body and a webhook body over their limits', async () => {
    const huge = JSON.stringify({ query: `subscription { plantDowntime { kind } }`, padding: 'x'.repeat(1024 * 1024) });
    const sse = await fetch(`${stack.gateway!.url}/stream`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await stack.token('VIEWER')}` }, body: huge });
    expect(sse.status).toBe(413);
    const webhook = await fetch(stack.subgraphs.get('plants')!.url.replace(/\/graphql$/, '/webhooks/plant-api'), { method: 'POST', body: huge });
    expect(webhook.status).toBe(413);
    expect(((await webhook.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('bounds the subscriptions of one socket', async () => {
    const { createClient } = await import('graphql-ws');
    const client = createClient({ url: stack.gateway!.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${await stack.token('VIEWER')}` }, retryAttempts: 0 });
    const errors: unknown[] = [];
    const stops = Array.from({ length: 21 }, () => client.subscribe({ query: `subscription { plantDowntime { kind } }` }, { next: () => undefined, error: (error) => errors.push(error), complete: () => undefined }));
    try {
      await eventually(() => (errors.length > 0 ? true : undefined));
      expect(JSON.stringify(errors[0])).toMatch(/GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET/);
      expect(stack.gateway!.subscriberCount()).toBe(20);
    } finally {
      for (const stop of stops) stop();
      await client.dispose();
    }
  });
});

describe("one caller's heavy use", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ...NO_PROBE, PLANT_API_RETRY_ATTEMPTS: '1' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it("does not open the Plant API's breaker for everyone when the API throttles us (429s)", async () => {
    const token = await stack.token('ANALYST');
    await fetch(`${stack.plantApi.url}/__admin/faults`, { method: 'POST', body: JSON.stringify({ rateLimited: true }) });
    try {
      // More throttled calls than the breaker's five consecutive failures.
      for (let i = 0; i < 8; i += 1) await stack.query(`{ plant(id: "plant-${String(70 + i).padStart(3, '0')}") { id } }`, { token });
    } finally {
      await fetch(`${stack.plantApi.url}/__admin/faults`, { method: 'POST', body: JSON.stringify({ rateLimited: false }) });
    }
    const health = (await (await fetch(stack.subgraphs.get('plants')!.url.replace(/\/graphql$/, '/health'))).json()) as { upstreams: { breaker: string }[] };
    expect(health.upstreams[0]!.breaker).toBe('closed');
    const { body } = await stack.query<{ plant: { id: string } }>(`{ plant(id: "plant-090") { id } }`, { token });
    expect(body.data?.plant.id).toBe('plant-090');
  });
});
