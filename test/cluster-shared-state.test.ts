/**
 * Two gateway replicas and two audit consumers, each a process of its own (`npm run
 * cluster`'s topology), agree through Redis and PostgreSQL: one rate-limit budget per
 * caller, each plant transition pushed once to the subscribers of each replica, each audit
 * event stored once whichever replica caused it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'redis';
import { auditStreamKey, AUDIT_CONSUMER_GROUP } from '../kit/audit-stream.ts';
import { anotherStatus, STARTUP_MS, startTestCluster, type TestCluster } from './support/cluster.ts';
import { eventually, until } from './support/eventually.ts';
import { REDIS_URL } from './support/services.ts';
import { subscribe, wsClient } from './support/subscribers.ts';

const FORBIDDEN_READ = `{ holidays(institutionId: "inst-001", year: 2026) { date } }`;

describe('the cluster: two gateway replicas on shared state', () => {
  let cluster: TestCluster;
  let one: string;
  let two: string;
  beforeAll(async () => {
    // An hour's window, so the budget cannot roll over to a new window in the middle of a test.
    cluster = await startTestCluster({ RATE_LIMIT_PLANS: 'basic=20/20', RATE_LIMIT_WINDOW_MS: '3600000', RATE_LIMIT_BURST_WINDOW_MS: '3600000' });
    [one, two] = cluster.gatewayUrls as [string, string];
  }, STARTUP_MS);
  afterAll(async () => {
    await cluster?.close();
  });

  it('runs each service of the topology in a process of its own', () => {
    const pids = cluster.services.map((service) => cluster.process(service.name).pid);
    expect(new Set(pids).size).toBe(cluster.services.length);
    expect(cluster.gatewayUrls).toHaveLength(2);
    expect(cluster.services.filter((service) => service.main === 'subgraphs/audit/main.ts')).toHaveLength(2);
  });

  it('gives a caller one budget across both replicas: the 21st request is refused on either', async () => {
    const token = await cluster.token('VIEWER');
    const ask = (url: string) => cluster.query(url, '{ plantApiStatus { up } }', { token });
    for (let i = 0; i < 20; i += 1) {
      const { status, headers } = await ask(i % 2 === 0 ? one : two);
      expect(status).toBe(200);
      expect(headers.get('x-ratelimit-remaining')).toBe(String(19 - i));
    }
    for (const url of [two, one]) {
      const refused = await ask(url);
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    }
    // Another caller's budget is untouched.
    expect((await cluster.query(two, '{ plantApiStatus { up } }', { token: await cluster.token('VIEWER') })).status).toBe(200);
  });

  it('pushes a plant transition to the subscribers of both replicas, once each', async () => {
    const token = await cluster.token('VIEWER');
    // Seen once before, so each change has a status to change from.
    const before = await cluster.query<{ a: { status: string }; b: { status: string } }>(one, `{ a: plant(id: "plant-061") { status } b: plant(id: "plant-062") { status } }`, { token });
    const status = anotherStatus(before.body.data?.a.status, 'OFFLINE', 'ONLINE');
    const sentinelStatus = anotherStatus(before.body.data?.b.status, 'MAINTENANCE', 'DEGRADED');
    const clients = [wsClient({ gateway: { url: one } }, token), wsClient({ gateway: { url: two } }, token)];
    const feeds = clients.map((client) => subscribe(client, { ids: ['plant-061', 'plant-062'] }));
    try {
      for (const url of [one, two]) await until(async () => (await cluster.subscribers(url)) === 1, { describe: () => `a subscriber on ${url}` });
      const change = (plant: string, status: string) => fetch(`${cluster.url('plant-api')}/__admin/plants/${plant}`, { method: 'POST', body: JSON.stringify({ status }) });
      await change('plant-061', status);
      // The sentinel: published after the first, so once it has arrived a repeat of the first would have too.
      await change('plant-062', sentinelStatus);
      for (const feed of feeds) {
        await until(() => feed.received.some((alert) => alert.plant?.id === 'plant-062'), { timeoutMs: 20_000, describe: () => `the sentinel (received ${JSON.stringify(feed.received)}, errors ${JSON.stringify(feed.errors)})` });
        expect(feed.received.filter((alert) => alert.plant?.id === 'plant-061').map((alert) => alert.kind)).toEqual([`PLANT_${status}`]);
        expect(feed.received.filter((alert) => alert.plant?.id === 'plant-062').map((alert) => alert.kind)).toEqual([`PLANT_${sentinelStatus}`]);
      }
    } finally {
      for (const feed of feeds) feed.dispose();
      for (const client of clients) await client.dispose();
    }
  });

  it('stores each audit event caused through either replica once, delivered by two consumers in one group', async () => {
    const subjects = [`audited-one-${Date.now()}`, `audited-two-${Date.now()}`];
    const tokens = await Promise.all(subjects.map((subject) => cluster.token('VIEWER', subject)));
    for (let i = 0; i < 8; i += 1) {
      // Each read of holidays is FORBIDDEN for a VIEWER, and each refusal one audit event.
      await cluster.query(one, FORBIDDEN_READ, { token: tokens[0] });
      await cluster.query(two, FORBIDDEN_READ, { token: tokens[1] });
    }
    const auditor = await cluster.token('AUDITOR');
    const stored = async (actor: string) => {
      const { body } = await cluster.query<{ auditEvents: { totalCount: number } }>(one, `query ($actor: String) { auditEvents(filter: { type: FORBIDDEN, actor: $actor }, first: 1) { totalCount } }`, { token: auditor, variables: { actor } });
      return body.data?.auditEvents.totalCount ?? -1;
    };
    for (const actor of subjects) await until(async () => (await stored(actor)) >= 8, { timeoutMs: 30_000, describe: async () => `8 events of ${actor} stored (have ${await stored(actor)})` });

    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      const stream = auditStreamKey(cluster.settings.keyPrefix);
      const consumers = await redis.xInfoConsumers(stream, AUDIT_CONSUMER_GROUP);
      expect(consumers.map((consumer) => String(consumer.name)).sort()).toEqual(['audit-1', 'audit-2']);
      // Everything read was acknowledged: nothing waits to be stored again.
      await eventually(async () => (Number((await redis.xPending(stream, AUDIT_CONSUMER_GROUP)).pending) === 0 ? true : undefined));
    } finally {
      redis.destroy();
    }
    // Exactly once: no event counted twice, none lost, whichever consumer stored it.
    for (const actor of subjects) expect(await stored(actor)).toBe(8);
    expect(cluster.failures).toEqual([]);
  });
});
