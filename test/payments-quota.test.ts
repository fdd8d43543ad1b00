/**
 * The outbound quota towards Stripe: calls beyond it wait for the next window instead of
 * going out, and with Redis the window's counter is shared by every replica.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createQuota } from '../subgraphs/kit/quota.ts';
import { closeSharedRedis } from '../kit/redis.ts';
import { UpstreamError } from '../subgraphs/kit/upstream-error.ts';
import { sandboxRequests, startTestStack, type TestStack } from './support/stack.ts';

const PER_WINDOW = 2;
const WINDOW_MS = 1000;

describe('Stripe outbound quota', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { STRIPE_QUOTA_PER_MINUTE: String(PER_WINDOW), STRIPE_QUOTA_WINDOW_MS: String(WINDOW_MS) } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it(`sends at most ${PER_WINDOW} requests a window: the others wait, none is refused or lost`, async () => {
    await stack.resetSandboxes();
    const token = await stack.token('VIEWER');
    const started = Date.now();
    for (let first = 1; first <= 5; first += 1) {
      const { body } = await stack.query(`query ($first: Int) { charges(first: $first) { edges { cursor } } }`, { token, variables: { first } });
      expect(body.errors).toBeUndefined();
    }
    expect(await sandboxRequests(stack.stripe.url)).toBe(5);
    // Five requests at two a window span at least three windows, so at least two window starts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS);
  });
});

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

describe('quota shared through Redis', () => {
  afterAll(async () => {
    await closeSharedRedis();
  });

  it('two replicas draw from one window counter', async () => {
    // Redis is a service this suite needs: absent, the test fails rather than skipping.
    expect(await reachable(REDIS_URL)).toBe(true);
    // A name of its own, so no other process's counter is touched.
    const api = `stripe-test-${process.pid}-${Date.now()}`;
    const windowMs = 60_000;
    const replicas = [0, 1].map(() => createQuota({ api, perMinute: 3, windowMs, redisUrl: REDIS_URL, maxWaitMs: 0 })!);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const windowStart = Date.now() - (Date.now() % windowMs);
      const outcomes: boolean[] = [];
      for (const replica of [replicas[0]!, replicas[1]!, replicas[0]!, replicas[1]!]) {
        outcomes.push(await replica.acquire().then(() => true, (error: unknown) => (error instanceof UpstreamError && error.failure === 'throttled' ? false : Promise.reject(error))));
      }
      // A window boundary in between would blur the count: try again in the new window.
      if (Date.now() - (Date.now() % windowMs) !== windowStart) continue;
      expect(outcomes.filter(Boolean)).toHaveLength(3);
      expect(outcomes.at(-1)).toBe(false);
      return;
    }
    throw new Error('no attempt stayed within one window');
  });
});
