/**
 * The request that meets an outage: it answers from stale data at once, carries the banner
 * itself, and the API_DOWN alert goes out at the same moment; retries go on behind it. The
 * seed retry figures (1000 ms before the first retry) are kept, so waiting for a retry
 * would show in the time taken.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { eventually, setFaults, startTestStack, type TestStack } from './support/stack.ts';
import { subscribe, waitForSubscribers, wsClient } from './support/subscribers.ts';

const DASHBOARD = readFileSync(new URL('../schema/operations/plants-dashboard.graphql', import.meta.url), 'utf8');

interface Dashboard {
  plantApiStatus: { up: boolean; banner: { message: string; since: string } | null };
  plants: { totalCount: number; edges: { node: { id: string } }[] };
}

describe('the first request after the Plant API goes down', () => {
  let stack: TestStack;
  let token: string;
  beforeAll(async () => {
    // Nothing fresh in the cache (every request goes upstream, stale answers kept), and no
    // probe in the way: the request itself must find the outage.
    stack = await startTestStack({ env: { PLANT_API_CACHE_TTL_MS: '0', PLANT_API_HEALTH_PROBE_MS: '600000' } });
    token = await stack.token('VIEWER');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('is served stale at once, with the banner in its own answer and API_DOWN published', async () => {
    const warm = await stack.query<Dashboard>(DASHBOARD, { token });
    expect(warm.body.data?.plantApiStatus.up).toBe(true);
    const client = wsClient(stack, token);
    const alerts = subscribe(client);
    try {
      await waitForSubscribers(stack.gateway!, 1);
      await setFaults(stack.plantApi.url, { down: true });
      const before = await stack.plantApi.requests();

      const started = Date.now();
      const { body } = await stack.query<Dashboard>(DASHBOARD, { token });
      const took = Date.now() - started;

      expect(body.errors).toBeUndefined();
      expect(body.data?.plants).toEqual(warm.body.data?.plants);
      expect(body.data?.plantApiStatus.up).toBe(false);
      expect(body.data?.plantApiStatus.banner?.message).toMatch(/^Plant data may be out of date since /);
      // Answered before the first retry was due (1000 ms with the seed figures).
      expect(took).toBeLessThan(900);
      const alert = await eventually(() => alerts.received.find((received) => received.kind === 'API_DOWN'), { timeoutMs: 2000 });
      expect(alert.at).toBe(body.data?.plantApiStatus.banner?.since);
      // The retries go on behind the answer.
      await eventually(async () => ((await stack.plantApi.requests()) >= before + 2 ? true : undefined), { timeoutMs: 10_000 });
    } finally {
      await setFaults(stack.plantApi.url, { down: false });
      await client.dispose();
    }
  });

  it('is live again once a call succeeds, and API_RESTORED follows', async () => {
    const client = wsClient(stack, token);
    const alerts = subscribe(client);
    try {
      await waitForSubscribers(stack.gateway!, 1);
      const status = await eventually(async () => {
        const { body } = await stack.query<Dashboard>(DASHBOARD, { token });
        return body.data?.plantApiStatus.up ? body.data.plantApiStatus : undefined;
      });
      expect(status.banner).toBeNull();
      await eventually(() => alerts.received.find((received) => received.kind === 'API_RESTORED'));
    } finally {
      await client.dispose();
    }
  });
});
