/**
 * Alert fan-out grouped by selection and roles: subscribers with the same selection,
 * variables and roles share one federated query (one plants-subgraph request), subscribers
 * with other scopes get a query of their own; each still receives its own correctly masked
 * payload, and what a subscriber's delivery audits is audited as that subscriber.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from 'graphql-ws';
import { valueOf, scrape } from './support/prometheus.ts';
import { eventually, startTestStack, TWO_REQUESTS_A_DAY, type TestStack } from './support/stack.ts';
import { subscribe, waitForSubscribers, wsClient } from './support/subscribers.ts';

const EVENTS = `query ($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 50) { edges { node { actor entityId details } } } }`;

describe('alert fan-out', () => {
  let stack: TestStack;
  const clients: Client[] = [];
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await stack.close();
  });

  /** Fan-out queries the plants subgraph has answered (the gateway names them after the subscriber query). */
  const fanOutRequests = async () =>
    (await scrape(stack.subgraphs.get('plants')!.url)).samples
      .filter((sample) => sample.name === 'api_latency_seconds_count' && /^PlantDowntimeSubscriber/.test(sample.labels.operation ?? ''))
      .reduce((sum, sample) => sum + sample.value, 0);

  async function subscribers(roles: readonly ('VIEWER' | 'ADMIN')[], plant: string) {
    const feeds = [];
    for (const [i, role] of roles.entries()) {
      const client = wsClient(stack, await stack.token(role, { subject: `${role.toLowerCase()}-${plant}-${i}` }));
      clients.push(client);
      feeds.push({ role, subject: `${role.toLowerCase()}-${plant}-${i}`, feed: subscribe(client, { ids: [plant] }) });
    }
    return feeds;
  }

  /** The plant's alert (API-wide ones, from a slow probe on a busy machine, carry no plant and cost no query). */
  const plantAlert = (feed: ReturnType<typeof subscribe>) => feed.received.find((alert) => alert.plant !== null);

  async function alertFor(plant: string, feeds: Awaited<ReturnType<typeof subscribers>>) {
    await waitForSubscribers(stack.gateway!, clients.length);
    // Seen once, so the subgraph knows the status it changes from.
    const seen = await stack.query<{ plant: { status: string } }>(`{ plant(id: "${plant}") { status } }`, { token: await stack.token('VIEWER') });
    const status = seen.body.data!.plant.status === 'OFFLINE' ? 'ONLINE' : 'OFFLINE';
    const before = await fanOutRequests();
    await fetch(`${stack.plantApi.url}/__admin/plants/${plant}`, { method: 'POST', body: JSON.stringify({ status }) });
    await eventually(() => (feeds.every(({ feed }) => plantAlert(feed)) ? true : undefined), { describe: () => `every subscriber alerted (${JSON.stringify(feeds.map(({ feed }) => [feed.received, feed.errors]))})` });
    // The subgraph counts a request once it has answered it, after the subscribers had theirs.
    await eventually(async () => ((await fanOutRequests()) > before ? true : undefined), { describe: () => 'a fan-out request counted' });
    return { queries: (await fanOutRequests()) - before, status };
  }

  it('runs one federated query for subscribers with the same selection and roles', async () => {
    const feeds = await subscribers(['VIEWER', 'VIEWER', 'VIEWER', 'VIEWER'], 'plant-051');
    const { queries, status } = await alertFor('plant-051', feeds);
    expect(queries).toBe(1);
    for (const { feed } of feeds) {
      expect(feed.errors).toEqual([]);
      expect(plantAlert(feed)).toMatchObject({ kind: `PLANT_${status}`, plant: { id: 'plant-051', status } });
      expect(plantAlert(feed)!.plant!.operator.email).toMatch(/^[a-z]\*\*\*@example\.com$/);
    }
  });

  it('runs one per scope set, each subscriber masked as its role and audited as itself', async () => {
    const feeds = await subscribers(['VIEWER', 'ADMIN', 'VIEWER', 'ADMIN'], 'plant-052');
    expect((await alertFor('plant-052', feeds)).queries).toBe(2);
    for (const { role, feed } of feeds) {
      expect(feed.errors).toEqual([]);
      expect(plantAlert(feed)!.plant!.operator.email).toMatch(role === 'ADMIN' ? /^[a-z]+\.[a-z]+@example\.com$/ : /^[a-z]\*\*\*@example\.com$/);
    }
    // Each ADMIN read the plain email: one SENSITIVE_READ each, as if each had run its own query.
    const auditor = await stack.token('AUDITOR');
    for (const { subject } of feeds.filter((entry) => entry.role === 'ADMIN')) {
      const events = await eventually(async () => {
        const { body } = await stack.query<{ auditEvents: { edges: { node: { actor: string; entityId: string; details: string } }[] } }>(EVENTS, {
          token: auditor,
          variables: { filter: { type: 'SENSITIVE_READ', actor: subject } },
        });
        const edges = body.data?.auditEvents.edges ?? [];
        return edges.length > 0 ? edges.map((edge) => edge.node) : undefined;
      });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor: subject, entityId: 'plant-052' });
      expect(JSON.parse(events[0]!.details).requestId).toEqual(expect.any(String));
    }
  });
});

describe('alert fan-out and the rate limit', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: TWO_REQUESTS_A_DAY });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('still counts each subscriber of a group: one past its plan gets RATE_LIMITED, the others their plant', async () => {
    const spent = await stack.token('VIEWER', { subject: 'spent-viewer' });
    const fresh = await stack.token('VIEWER', { subject: 'fresh-viewer' });
    // The spent one uses its whole burst (2) first.
    for (let i = 0; i < 2; i += 1) await stack.query(`{ plantApiStatus { up } }`, { token: spent });
    const clients = [wsClient(stack, spent), wsClient(stack, fresh)];
    const [over, within] = clients.map((client) => subscribe(client, { ids: ['plant-053'] }));
    try {
      await waitForSubscribers(stack.gateway!, 2);
      const seen = await stack.query<{ plant: { status: string } }>(`{ plant(id: "plant-053") { status } }`, { token: await stack.token('VIEWER', { subject: 'someone-else' }) });
      const status = seen.body.data!.plant.status === 'OFFLINE' ? 'ONLINE' : 'OFFLINE';
      await fetch(`${stack.plantApi.url}/__admin/plants/plant-053`, { method: 'POST', body: JSON.stringify({ status }) });
      await eventually(() => (within!.received.some((alert) => alert.plant?.id === 'plant-053') && over!.errors.length > 0 ? true : undefined));
      expect(JSON.stringify(over!.errors)).toMatch(/RATE_LIMITED/);
      expect(over!.received.every((alert) => alert.plant === null)).toBe(true);
      expect(within!.errors).toEqual([]);
    } finally {
      over!.dispose();
      within!.dispose();
      await Promise.all(clients.map((client) => client.dispose()));
    }
  });
});
