/**
 * The gateway's response cache against the real stack: a repeated query is answered from it
 * (x-cache, age), keyed by what the caller may see and never by who it is, dropped by a
 * signed webhook and by a downtime transition, expired by the shortest upstream lifetime
 * that contributed, and keeping the contract on a hit: the rate limit counts it, and an
 * ADMIN's hit writes the SENSITIVE_READ events a miss writes, a denied caller's hit the
 * FORBIDDEN ones. RESPONSE_CACHE=off turns it off.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type RunningGateway } from '../gateway/server.ts';
import { signWebhook } from '../kit/webhook-signature.ts';
import { PLANT_WEBHOOK_PATH } from '../subgraphs/plants/webhooks.ts';
import { metricValue } from './support/prometheus.ts';
import { eventually, FAST_RESILIENCE, setFaults, startTestStack, type GraphQLResponse, type TestStack } from './support/stack.ts';

const PLANT = `query Plant($id: ID!) { plant(id: $id) { id name status operator { name email phone } } }`;
type PlantAnswer = { plant: { id: string; name: string; status: string; operator: { name: string; email: string; phone: string } } };
const STATUS = `{ plantApiStatus { up banner { message } } plant(id: "plant-060") { id name } }`;
type StatusAnswer = { plantApiStatus: { up: boolean; banner: { message: string } | null } };
/** Plants (10 min) and Stripe (short in this stack): the answer lives as long as Stripe's. */
const WITH_BALANCE = `{ plant(id: "plant-070") { id name } paymentsBalance { available { amount currency } } }`;
const EVENTS = `query ($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 50) { edges { node { type actor service entityType entityId outcome action details } } } }`;
type EventNode = { type: string; actor: string; service: string; entityType: string | null; entityId: string | null; outcome: string; action: string; details: string };

/** Stripe's fresh lifetime here: long enough for a second request, short enough to wait out. */
const STRIPE_TTL_MS = 1500;

describe('the gateway response cache', () => {
  let stack: TestStack;
  let viewer: string;
  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        ...FAST_RESILIENCE,
        RESPONSE_CACHE: 'on',
        STRIPE_CACHE_TTL_MS: String(STRIPE_TTL_MS),
        // A tiny plan for the rate-limit test; the others use the default plan.
        RATE_LIMIT_PLANS: 'enterprise=4/4',
      },
    });
    viewer = await stack.token('VIEWER', { subject: 'viewer-1' });
  });
  afterAll(async () => {
    await stack.close();
  });

  /** A counter of the gateway's /metrics, summed over its labels (0 before it is first counted). */
  const counted = (name: string) => metricValue(stack.gateway!.url, name);

  const plant = (id: string, token: string) => stack.query<PlantAnswer>(PLANT, { token, variables: { id } });

  /** The events of a type an actor has in the log, once there are at least `count`. */
  async function auditedAs(actor: string, type: string, count: number): Promise<EventNode[]> {
    const auditor = await stack.token('AUDITOR', { subject: 'auditor-1' });
    return eventually(
      async () => {
        const { body } = await stack.query<{ auditEvents: { edges: { node: EventNode }[] } }>(EVENTS, { token: auditor, variables: { filter: { type, actor } } });
        const nodes = body.data?.auditEvents.edges.map((edge) => edge.node) ?? [];
        return nodes.length >= count ? nodes : undefined;
      },
      { everyMs: 200 },
    );
  }

  /** An event as a hit writes it again: everything but the actor and the request id the same. */
  const sameButActor = ({ actor: _actor, details, ...event }: EventNode) => ({ ...event, details: { ...JSON.parse(details), requestId: undefined } });

  it('answers the second identical query from the cache, saying so and how old it is', async () => {
    const first = await plant('plant-001', viewer);
    expect(first.body.errors).toBeUndefined();
    expect(first.headers.get('x-cache')).toBe('miss');
    // The stack's first moments may bring a change (the Plant API's first health
    // observation) that drops what was built before it: asked again until kept.
    const second = await eventually(async () => {
      const hitsBefore = await counted('response_cache_hits_total');
      const again = await plant('plant-001', viewer);
      return again.headers.get('x-cache') === 'hit' && (await counted('response_cache_hits_total')) === hitsBefore + 1 ? again : undefined;
    });
    expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(second.body).toEqual(first.body);
    expect(await counted('response_cache_stores_total')).toBeGreaterThanOrEqual(1);
    // The subgraphs' report for the cache never reaches the caller.
    expect(JSON.stringify(first.body)).not.toMatch(/responseReport|keepForMs/);
  });

  it('never hands a VIEWER what was cached for an ADMIN, and lets two viewers share', async () => {
    const admin = await plant('plant-002', await stack.token('ADMIN', { subject: 'admin-1' }));
    expect(admin.body.data!.plant.operator.email).not.toContain('***');
    const first = await plant('plant-002', viewer);
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(first.body.data!.plant.operator.email).toMatch(/^.\*\*\*@/);
    expect(first.body.data!.plant.operator.phone).toMatch(/^\*\*\*-\*\*\*-\d{4}$/);
    const other = await plant('plant-002', await stack.token('VIEWER', { subject: 'viewer-2' }));
    expect(other.headers.get('x-cache')).toBe('hit');
    expect(other.body).toEqual(first.body);
  });

  it('shows a plant changed upstream on the very next request, through its signed webhook', async () => {
    await plant('plant-010', viewer);
    expect((await plant('plant-010', viewer)).headers.get('x-cache')).toBe('hit');
    // The sandbox fires its signed webhook before it answers.
    const response = await fetch(`${stack.plantApi.url}/__admin/plants/plant-010`, { method: 'POST', body: JSON.stringify({ status: 'MAINTENANCE' }) });
    expect(response.status).toBe(200);
    const next = await plant('plant-010', viewer);
    expect(next.headers.get('x-cache')).toBe('miss');
    expect(next.body.data!.plant).toMatchObject({ status: 'MAINTENANCE' });
  });

  it('drops what carried a plant when its signed webhook arrives, and only that', async () => {
    await plant('plant-011', viewer);
    await plant('plant-012', viewer);
    const body = JSON.stringify({ event: 'plant.updated', plant_id: 'plant-011', at: new Date().toISOString() });
    const webhook = stack.subgraphs.get('plants')!.url.replace(/\/graphql$/, PLANT_WEBHOOK_PATH);
    const response = await fetch(webhook, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Plant-Signature': signWebhook(stack.upstreams.plantApi.webhookSecret, body) }, body });
    expect(response.status).toBe(200);
    expect((await plant('plant-011', viewer)).headers.get('x-cache')).toBe('miss');
    expect((await plant('plant-012', viewer)).headers.get('x-cache')).toBe('hit');
  });

  it('drops a cached list when any plant changes (it may join or leave the list)', async () => {
    const list = `{ plants(first: 50, status: OFFLINE) { totalCount edges { node { id } } } }`;
    type ListAnswer = { plants: { totalCount: number; edges: { node: { id: string } }[] } };
    const before = await stack.query<ListAnswer>(list, { token: viewer });
    expect((await stack.query(list, { token: viewer })).headers.get('x-cache')).toBe('hit');
    const joining = 'plant-003';
    expect(before.body.data!.plants.edges.map((edge) => edge.node.id)).not.toContain(joining);
    await fetch(`${stack.plantApi.url}/__admin/plants/${joining}`, { method: 'POST', body: JSON.stringify({ status: 'OFFLINE' }) });
    const after = await stack.query<ListAnswer>(list, { token: viewer });
    expect(after.body.data!.plants.edges.map((edge) => edge.node.id)).toContain(joining);
  });

  it('lives as long as the shortest upstream lifetime that contributed', async () => {
    // Lifetimes count from when the execution began (what it read is at most that old).
    const sentAt = Date.now();
    const first = await stack.query(WITH_BALANCE, { token: viewer });
    expect(first.body.errors).toBeUndefined();
    const answeredAt = Date.now();
    expect((await stack.query(WITH_BALANCE, { token: viewer })).headers.get('x-cache')).toBe('hit');
    // Plants alone (10 minutes) stays; with Stripe's lifetime the entry goes.
    const expired = await eventually(
      async () => {
        const { headers } = await stack.query(WITH_BALANCE, { token: viewer });
        return headers.get('x-cache') === 'miss' ? Date.now() : undefined;
      },
      { everyMs: 100 },
    );
    expect(expired - sentAt).toBeGreaterThanOrEqual(STRIPE_TTL_MS);
    expect(expired - answeredAt).toBeLessThan(STRIPE_TTL_MS + 1000);
    expect((await plant('plant-001', viewer)).headers.get('x-cache')).toBe('hit');
  });

  it('counts hits against the rate limit: 429 past the plan even when every answer is cached', async () => {
    const token = await stack.signedToken({ claims: { roles: ['VIEWER'], plan: 'enterprise' }, subject: 'limited-viewer' });
    const answers: GraphQLResponse<PlantAnswer>[] = [];
    for (let i = 0; i < 5; i += 1) answers.push(await plant('plant-001', token));
    expect(answers.slice(0, 4).map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(answers.slice(0, 4).map((answer) => answer.headers.get('x-cache'))).toEqual(['hit', 'hit', 'hit', 'hit']);
    expect(answers[3]!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(answers[4]!.status).toBe(429);
    expect(answers[4]!.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it("writes on an ADMIN's hit the SENSITIVE_READ events a miss writes, one per entity", async () => {
    const read = `{ a: plant(id: "plant-031") { operator { email } } b: plant(id: "plant-032") { operator { email phone } } }`;
    const miss = await stack.query(read, { token: await stack.token('ADMIN', { subject: 'admin-miss' }) });
    expect(miss.headers.get('x-cache')).toBe('miss');
    const hit = await stack.query(read, { token: await stack.token('ADMIN', { subject: 'admin-hit' }) });
    expect(hit.headers.get('x-cache')).toBe('hit');
    expect(hit.body).toEqual(miss.body);

    const sorted = (events: EventNode[]) => events.map(sameButActor).sort((a, b) => String(a.entityId).localeCompare(String(b.entityId)));
    const [missEvents, hitEvents] = [await auditedAs('admin-miss', 'SENSITIVE_READ', 2), await auditedAs('admin-hit', 'SENSITIVE_READ', 2)];
    expect(missEvents).toHaveLength(2);
    expect(hitEvents).toHaveLength(2);
    expect(sorted(hitEvents)).toEqual(sorted(missEvents));
    expect(JSON.parse(hitEvents[0]!.details).requestId).toBe(hit.headers.get('x-request-id'));
  });

  it('shows the downtime banner on the next request once the Plant API is down, and drops it when it is back', async () => {
    const up = await stack.query<StatusAnswer>(STATUS, { token: viewer });
    expect(up.body.data!.plantApiStatus).toMatchObject({ up: true, banner: null });
    expect((await stack.query(STATUS, { token: viewer })).headers.get('x-cache')).toBe('hit');
    await setFaults(stack.plantApi.url, { down: true });
    try {
      // Without the transition dropping it, the cached "up" would stay for the plants' 10 minutes.
      const down = await eventually(async () => {
        const { body } = await stack.query<StatusAnswer>(STATUS, { token: viewer });
        return body.data?.plantApiStatus.up === false ? body : undefined;
      });
      expect(down.data!.plantApiStatus.banner?.message).toMatch(/out of date/);
      expect(await counted('response_cache_invalidations_total')).toBeGreaterThanOrEqual(1);
      // What is served under the banner is never kept.
      expect((await stack.query(STATUS, { token: viewer })).headers.get('x-cache')).toBe('miss');
    } finally {
      await setFaults(stack.plantApi.url, { down: false });
    }
    const back = await eventually(async () => {
      const { body } = await stack.query<StatusAnswer>(STATUS, { token: viewer });
      return body.data?.plantApiStatus.up ? body : undefined;
    });
    expect(back.data!.plantApiStatus.banner).toBeNull();
  });

  it('keeps an answer whose only errors are FORBIDDEN, writing its FORBIDDEN events again for each caller served', async () => {
    const denied = `{ plant(id: "plant-001") { id } holidays(institutionId: "inst-001", year: 2026) { date } }`;
    const tokens = [await stack.token('VIEWER', { subject: 'denied-miss' }), await stack.token('VIEWER', { subject: 'denied-hit' })];
    const [miss, hit] = [await stack.query(denied, { token: tokens[0] }), await stack.query(denied, { token: tokens[1] })];
    expect(miss.headers.get('x-cache')).toBe('miss');
    expect(hit.headers.get('x-cache')).toBe('hit');
    expect(hit.body.data).toEqual(miss.body.data);
    const codes = (answer: typeof hit) => answer.body.errors?.map((error) => [error.extensions?.code, error.path]);
    expect(codes(hit)).toEqual(codes(miss));
    expect(codes(hit)?.[0]?.[0]).toBe('FORBIDDEN');
    // The request id the error names is the request's own, not the one that built the entry.
    expect(hit.body.errors?.[0]?.extensions?.requestId).toBe(hit.headers.get('x-request-id'));
    const [missEvents, hitEvents] = [await auditedAs('denied-miss', 'FORBIDDEN', 1), await auditedAs('denied-hit', 'FORBIDDEN', 1)];
    expect(hitEvents.map(sameButActor)).toEqual(missEvents.map(sameButActor));
    expect(JSON.parse(hitEvents[0]!.details).requestId).toBe(hit.headers.get('x-request-id'));
  });

  it('never keeps answers with other errors', async () => {
    const bad = `{ plant(id: "plant-001") { id } holidays(institutionId: "not-an-institution", year: 2026) { date } }`;
    const analyst = await stack.token('ANALYST', { subject: 'analyst-1' });
    const first = await stack.query(bad, { token: analyst });
    expect(first.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await stack.query(bad, { token: analyst })).headers.get('x-cache')).toBe('miss');
  });

  describe('with RESPONSE_CACHE=off', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      const settings = stack.settings;
      gateway = await startGateway({ ...settings, gateway: { ...settings.gateway, responseCache: { ...settings.gateway.responseCache, enabled: false } } }, { port: 0 });
    });
    afterAll(async () => {
      await gateway.close();
    });

    it('executes every query', async () => {
      const url = gateway.url;
      await stack.query(PLANT, { token: viewer, variables: { id: 'plant-001' }, url });
      const second = await stack.query(PLANT, { token: viewer, variables: { id: 'plant-001' }, url });
      expect(second.body.errors).toBeUndefined();
      expect(second.headers.get('x-cache')).toBeNull();
    });
  });
});
