/**
 * Processes of the cluster die for real (SIGKILL): a subgraph takes only its own fields with
 * it and is used again once it is back on its port, with no gateway restarted; a gateway
 * replica takes no audit event and no alert of the other replica's subscribers with it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { anotherStatus, STARTUP_MS, startTestCluster, type TestCluster } from './support/cluster.ts';
import { until } from './support/eventually.ts';
import { subscribe, wsClient } from './support/subscribers.ts';

const ACROSS_SUBGRAPHS = `{ plants(first: 2) { totalCount } paymentsBalance { available { formatted } } }`;

interface Answer {
  plants: { totalCount: number } | null;
  paymentsBalance: { available: { formatted: string }[] } | null;
}

describe('the cluster when processes die', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster();
  }, STARTUP_MS);
  afterAll(async () => {
    await cluster?.close();
  });

  it('nulls only a killed subgraph’s fields (UPSTREAM_UNAVAILABLE), and uses it again once it is back on its port', async () => {
    const token = await cluster.token('VIEWER');
    const gatewayPids = cluster.gatewayUrls.map((_, i) => cluster.process(`gateway-${i + 1}`).pid);
    for (const url of cluster.gatewayUrls) expect((await cluster.query<Answer>(url, ACROSS_SUBGRAPHS, { token })).body.errors).toBeUndefined();

    await cluster.process('payments').kill();
    for (const url of cluster.gatewayUrls) {
      const { status, body } = await cluster.query<Answer>(url, ACROSS_SUBGRAPHS, { token });
      expect(status).toBe(200);
      expect(body.data?.plants?.totalCount).toBe(120);
      expect(body.data?.paymentsBalance).toBeNull();
      expect(body.errors?.map((error) => [error.extensions?.code, error.extensions?.service])).toEqual([['UPSTREAM_UNAVAILABLE', 'payments']]);
    }

    await cluster.restart('payments');
    for (const url of cluster.gatewayUrls) {
      await until(async () => (await cluster.query<Answer>(url, ACROSS_SUBGRAPHS, { token })).body.data?.paymentsBalance != null, { timeoutMs: 20_000, describe: () => `payments answering through ${url} again` });
    }
    // The same gateway processes all along.
    expect(cluster.gatewayUrls.map((_, i) => cluster.process(`gateway-${i + 1}`).pid)).toEqual(gatewayPids);
    expect(cluster.failures.filter(({ service }) => service.startsWith('gateway'))).toEqual([]);
  });

  it('loses no audit event and no alert of the other replica’s subscribers when a gateway replica is killed', async () => {
    const [survivor, victim] = cluster.gatewayUrls as [string, string];
    const token = await cluster.token('VIEWER');
    // Seen once before, so each change has a status to change from.
    const before = await cluster.query<{ a: { status: string }; b: { status: string } }>(survivor, `{ a: plant(id: "plant-071") { status } b: plant(id: "plant-072") { status } }`, { token });
    const status = anotherStatus(before.body.data?.a.status, 'OFFLINE', 'ONLINE');
    const sentinelStatus = anotherStatus(before.body.data?.b.status, 'MAINTENANCE', 'DEGRADED');
    const client = wsClient({ gateway: { url: survivor } }, token);
    const feed = subscribe(client, { ids: ['plant-071', 'plant-072'] });
    try {
      await until(async () => (await cluster.subscribers(survivor)) === 1);
      // Refused tokens are audited by the gateway itself (AUTH_FAILURE), marked here by a user agent of the test's own.
      const userAgent = `cluster-test-${randomUUID()}`;
      const refused = 10;
      for (let i = 0; i < refused; i += 1) {
        const { status } = await cluster.query(victim, '{ plantApiStatus { up } }', { token: 'not-a-token', headers: { 'user-agent': userAgent } });
        expect(status).toBe(401);
      }
      // Killed as soon as it has answered: what it had not handed over yet is lost with it.
      await cluster.process('gateway-2').kill();

      await fetch(`${cluster.url('plant-api')}/__admin/plants/plant-071`, { method: 'POST', body: JSON.stringify({ status }) });
      await fetch(`${cluster.url('plant-api')}/__admin/plants/plant-072`, { method: 'POST', body: JSON.stringify({ status: sentinelStatus }) }); // the sentinel
      await until(() => feed.received.some((alert) => alert.plant?.id === 'plant-072'), { timeoutMs: 20_000, describe: () => `the sentinel (received ${JSON.stringify(feed.received)})` });
      expect(feed.received.map((alert) => [alert.plant?.id, alert.kind])).toEqual([
        ['plant-071', `PLANT_${status}`],
        ['plant-072', `PLANT_${sentinelStatus}`],
      ]);

      const auditor = await cluster.token('AUDITOR');
      const stored = async () => {
        const { body } = await cluster.query<{ auditEvents: { edges: { node: { details: string } }[] } }>(survivor, `{ auditEvents(filter: { type: AUTH_FAILURE }, first: 50) { edges { node { details } } } }`, { token: auditor });
        return (body.data?.auditEvents.edges ?? []).filter((edge) => (JSON.parse(edge.node.details) as { userAgent?: string }).userAgent === userAgent).length;
      };
      await until(async () => (await stored()) >= refused, { timeoutMs: 30_000, describe: async () => `${refused} AUTH_FAILURE events of the killed replica stored (have ${await stored()})` });
      expect(await stored()).toBe(refused);
    } finally {
      feed.dispose();
      await client.dispose();
    }
  });
});
