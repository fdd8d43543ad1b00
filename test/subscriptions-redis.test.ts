/**
 * Scale-out through Redis: two gateway replicas both deliver an alert published once, and
 * two plants-subgraph replicas watching the same Plant API publish each transition once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type RunningGateway } from '../gateway/server.ts';
import { startSubgraph, type RunningSubgraph } from '../subgraphs/kit/subgraph.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';
import { createClient } from 'redis';
import { REDIS_URL } from './support/services.ts';
import { eventually, FAST_RESILIENCE, setFaults, startTestStack, type TestStack } from './support/stack.ts';
import { subscribe, waitForSubscribers, wsClient } from './support/subscribers.ts';

describe('downtime alerts across replicas sharing Redis', () => {
  let stack: TestStack;
  let secondGateway: RunningGateway;
  let secondPlants: RunningSubgraph;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ...FAST_RESILIENCE, REDIS_URL, KEY_PREFIX: `test-${randomUUID()}:` } });
    secondGateway = await startGateway(stack.settings, { port: 0 });
    secondPlants = await startSubgraph(SUBGRAPHS.find((entry) => entry.name === 'plants')!, { settings: stack.settings, port: 0 });
  });
  afterAll(async () => {
    await secondGateway.close();
    await secondPlants.close();
    await stack.close();
  });

  it('delivers each transition exactly once on both gateways', async () => {
    const token = await stack.token('VIEWER');
    const first = wsClient(stack, token);
    const second = wsClient({ gateway: secondGateway }, token);
    const onFirst = subscribe(first);
    const onSecond = subscribe(second);
    await waitForSubscribers(stack.gateway!, 1);
    await waitForSubscribers(secondGateway, 1);
    try {
      await setFaults(stack.plantApi.url, { down: true });
      await eventually(() => (onFirst.received.length > 0 && onSecond.received.length > 0 ? true : undefined));
      await setFaults(stack.plantApi.url, { down: false });
      await eventually(() => (onFirst.received.length > 1 && onSecond.received.length > 1 ? true : undefined));
      // Both plants replicas saw both transitions; a few more probe rounds (each a Plant API
      // request) must add nothing.
      const requests = stack.plantApi.requests();
      await eventually(() => (stack.plantApi.requests() >= requests + 6 ? true : undefined));
      expect(onFirst.received.map((alert) => alert.kind)).toEqual(['API_DOWN', 'API_RESTORED']);
      expect(onSecond.received.map((alert) => alert.kind)).toEqual(['API_DOWN', 'API_RESTORED']);
    } finally {
      onFirst.dispose();
      onSecond.dispose();
      await first.dispose();
      await second.dispose();
    }
  });
});

describe('a plants replica starting while the shared state still says the Plant API is down', () => {
  it('brings the shared state in line at its first probe, so the next outage is announced', async () => {
    const keyPrefix = `test-${randomUUID()}:`;
    const stateKey = `${keyPrefix}state:plant-api:health`;
    const redis = await createClient({ url: REDIS_URL }).connect();
    await redis.set(stateKey, 'down');
    const stack = await startTestStack({ env: { ...FAST_RESILIENCE, REDIS_URL, KEY_PREFIX: keyPrefix } });
    const client = wsClient(stack, await stack.token('VIEWER'));
    const alerts = subscribe(client);
    try {
      await eventually(async () => (/^up(@|$)/.test((await redis.get(stateKey)) ?? '') ? true : undefined));
      await waitForSubscribers(stack.gateway!, 1);
      await setFaults(stack.plantApi.url, { down: true });
      await eventually(() => (alerts.received.some((alert) => alert.kind === 'API_DOWN') ? true : undefined));
    } finally {
      alerts.dispose();
      await client.dispose();
      await stack.close();
      await redis.close();
    }
  });
});
