/**
 * SendGrid's announced rate limit (X-RateLimit-*): the subgraph waits for the window's reset
 * instead of spending requests on 429s, and recovers when someone else spent the window.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sandboxRequests, startTestStack, type TestStack } from './support/stack.ts';

const STATS = `query ($from: Date!, $to: Date!) { emailStats(from: $from, to: $to) { date requests } }`;
const LIMIT = 3;
const WINDOW_SECONDS = 2;

describe('SendGrid rate-limit window', () => {
  let stack: TestStack;
  let viewer: string;
  const requests = () => sandboxRequests(stack.sendgrid.url);
  /** A range never asked for before, so the cache cannot answer. */
  let day = 1;
  const fresh = () => ({ from: '2026-03-01', to: `2026-03-${String(day++).padStart(2, '0')}` });

  beforeAll(async () => {
    stack = await startTestStack({ sandboxOptions: { 'email-stats': { rateLimit: { limit: LIMIT, windowSeconds: WINDOW_SECONDS } } } });
    viewer = await stack.token('VIEWER');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('waits for X-RateLimit-Reset once nothing remains: every query answered, no request spent on a 429', async () => {
    await stack.resetSandboxes();
    const started = Date.now();
    for (let i = 0; i < LIMIT + 2; i += 1) {
      const { body } = await stack.query(STATS, { token: viewer, variables: fresh() });
      expect(body.errors).toBeUndefined();
    }
    expect(await requests()).toBe(LIMIT + 2);
    // The fourth query had to wait for the next window.
    expect(Date.now() - started).toBeGreaterThan(500);
  });

  it('after a 429 caused by another client, holds the retry until the reset and succeeds', async () => {
    await stack.resetSandboxes();
    // Someone else spends the whole window.
    const key = stack.upstreams.sendgrid.apiKey;
    for (let i = 0; i < LIMIT; i += 1) {
      const response = await fetch(`${stack.sendgrid.url}/v3/suppression/bounces?limit=1`, { headers: { Authorization: `Bearer ${key}` } });
      await response.body?.cancel();
    }
    const { body } = await stack.query(STATS, { token: viewer, variables: fresh() });
    expect(body.errors).toBeUndefined();
    // LIMIT by the other client, then at most one 429 and the successful retry.
    expect(await requests()).toBeLessThanOrEqual(LIMIT + 2);
  });
});
