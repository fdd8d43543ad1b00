/**
 * Redis goes away for real (a server of the test's own, killed) and comes back empty, under
 * a stack that uses it for caches, counters, pub/sub and the audit stream, with a second
 * gateway replica in a process of its own. Queries keep answering without waiting for
 * Redis, an alert raised meanwhile reaches this replica's subscribers at once and the other
 * replica's once Redis is back, and no audit event is lost or stored twice.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.ts';
import { startPrivateRedis, type PrivateServer } from './support/private-services.ts';
import { eventually, FAST_RETRIES, startTestStack, type TestStack } from './support/stack.ts';
import { subscribe, waitForSubscribers, wsClient } from './support/subscribers.ts';

const DASHBOARD = readFileSync(new URL('../schema/operations/plants-dashboard.graphql', import.meta.url), 'utf8');
const FORBIDDEN_READ = `{ holidays(institutionId: "inst-001", year: 2026) { date } }`;

describe('a Redis outage', () => {
  let redis: PrivateServer;
  let stack: TestStack;
  let replica: GatewayProcess;
  let viewer: string;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    stack = await startTestStack({ env: { ...FAST_RETRIES, REDIS_URL: redis.url, KEY_PREFIX: `outage-${randomUUID()}:` } });
    replica = await startGatewayProcess(stack.env);
    viewer = await stack.token('VIEWER');
  });
  afterAll(async () => {
    await replica?.stop();
    await stack?.close();
    await redis?.close();
  });

  const auditedForbidden = async (actor: string) => {
    const { body } = await stack.query<{ auditEvents: { totalCount: number } }>(
      `query ($actor: String) { auditEvents(filter: { type: FORBIDDEN, actor: $actor }, first: 1) { totalCount } }`,
      { token: await stack.token('AUDITOR'), variables: { actor } },
    );
    return body.data?.auditEvents.totalCount ?? -1;
  };

  it('answers every query while Redis is away and after it comes back empty, and stores each audit event once', async () => {
    const actor = `outage-${randomUUID()}`;
    const denied = await stack.token('VIEWER', { subject: actor });
    const timings: number[] = [];
    const ask = async (url?: string) => {
      const started = Date.now();
      const { status, body } = await stack.query<{ plants: { edges: unknown[] } }>(DASHBOARD, { token: viewer, ...(url ? { url } : {}) });
      timings.push(Date.now() - started);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data?.plants.edges).toHaveLength(50);
      await stack.query(FORBIDDEN_READ, { token: denied });
    };
    for (let i = 0; i < 10; i += 1) await ask();
    timings.length = 0;
    await redis.stop();
    const during: number[] = [];
    for (let i = 0; i < 20; i += 1) await ask(i % 2 ? replica.url : undefined);
    during.push(...timings.splice(0));
    await redis.start(); // empty
    for (let i = 0; i < 10; i += 1) await ask(i % 2 ? replica.url : undefined);
    // Redis never held a request up: the slowest answer is far below any Redis wait or retry.
    expect(Math.max(...during)).toBeLessThan(1000);
    console.log(`Redis away: ${during.length} queries, slowest ${Math.max(...during)} ms; after it came back empty: slowest ${Math.max(...timings)} ms`);
    await eventually(async () => ((await auditedForbidden(actor)) === 40 ? true : undefined), { timeoutMs: 45_000, describe: async () => `40 FORBIDDEN events stored (have ${await auditedForbidden(actor)})` });
  });

  it('delivers an alert raised while Redis is away: here at once, on the other replica once it is back, once each', async () => {
    // Seen once before, so the change has a status to change from.
    await stack.query(`{ a: plant(id: "plant-041") { status } b: plant(id: "plant-042") { status } }`, { token: viewer });
    const here = wsClient(stack, viewer);
    const there = wsClient({ gateway: { url: replica.url } }, viewer);
    const onHere = subscribe(here, { ids: ['plant-041', 'plant-042'] });
    const onThere = subscribe(there, { ids: ['plant-041', 'plant-042'] });
    try {
      await waitForSubscribers(stack.gateway!, 1);
      await eventually(() => (onThere.errors.length === 0 ? true : undefined));
      await redis.stop();
      await fetch(`${stack.plantApi.url}/__admin/plants/plant-041`, { method: 'POST', body: JSON.stringify({ status: 'OFFLINE' }) });
      const local = await eventually(() => onHere.received.find((alert) => alert.plant?.id === 'plant-041'));
      expect(local.kind).toBe('PLANT_OFFLINE');
      expect(onThere.received).toEqual([]);

      await redis.start(); // empty: the alert goes out late
      const late = await eventually(() => onThere.received.find((alert) => alert.plant?.id === 'plant-041'), { timeoutMs: 20_000 });
      expect(late).toMatchObject({ kind: 'PLANT_OFFLINE', at: local.at });

      // A later alert reaches both: by then any repeat of the first would have arrived too.
      await fetch(`${stack.plantApi.url}/__admin/plants/plant-042`, { method: 'POST', body: JSON.stringify({ status: 'OFFLINE' }) });
      await eventually(() => (onHere.received.some((a) => a.plant?.id === 'plant-042') && onThere.received.some((a) => a.plant?.id === 'plant-042') ? true : undefined), {
        timeoutMs: 20_000,
        describe: () => `plant-042 alerts on both (here: ${JSON.stringify(onHere.received.map((a) => [a.kind, a.plant?.id]))}, there: ${JSON.stringify(onThere.received.map((a) => [a.kind, a.plant?.id]))}, errors ${JSON.stringify([onHere.errors, onThere.errors])})`,
      });
      expect(onHere.received.filter((alert) => alert.plant?.id === 'plant-041')).toHaveLength(1);
      expect(onThere.received.filter((alert) => alert.plant?.id === 'plant-041')).toHaveLength(1);

      const { body } = await stack.query<{ auditEvents: { totalCount: number } }>(`{ auditEvents(filter: { type: PLANT_STATUS_CHANGED, entityId: "plant-041" }) { totalCount } }`, {
        token: await stack.token('AUDITOR'),
      });
      expect(body.data?.auditEvents.totalCount).toBe(1);
    } finally {
      onHere.dispose();
      onThere.dispose();
      await here.dispose();
      await there.dispose();
    }
  });

  it('answers while Redis hangs, and a change made meanwhile is not hidden by the cache once it answers again', async () => {
    const plant = `{ plant(id: "plant-051") { status } }`;
    const before = await stack.query<{ plant: { status: string } }>(plant, { token: viewer });
    // Now cached in Redis, fresh for 10 minutes.
    const changed = before.body.data?.plant.status === 'MAINTENANCE' ? 'DEGRADED' : 'MAINTENANCE';
    redis.pause();
    try {
      const response = await fetch(`${stack.plantApi.url}/__admin/plants/plant-051`, { method: 'POST', body: JSON.stringify({ status: changed }) });
      expect(response.ok).toBe(true);
      const started = Date.now();
      const { body } = await stack.query<{ plant: { status: string } }>(plant, { token: viewer });
      expect(body.data?.plant.status).toBeDefined();
      // Every Redis command gives up after its timeout: a hung Redis slows a request, never stops it.
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      redis.resume();
    }
    // The invalidation that could not reach Redis lands once it answers: the change shows.
    const after = await eventually(async () => {
      const { body } = await stack.query<{ plant: { status: string } }>(plant, { token: viewer });
      return body.data?.plant.status === changed ? body.data.plant : undefined;
    }, { timeoutMs: 15_000 });
    expect(after.status).toBe(changed);
  });
});
