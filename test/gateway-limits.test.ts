/**
 * Per-caller rate limits by plan (the Storm API's: requests an hour with a burst cap),
 * counted before any work, with X-RateLimit-* headers that reflect the caller's plan.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/stack.ts';

const QUERY = `{ plantApiStatus { up } }`;
/** Windows of a day, so that a test never straddles one (they are aligned to the epoch). */
const DAY_MS = String(24 * 3600 * 1000);

describe('rate limits by plan', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      env: { RATE_LIMIT_PLANS: 'basic=5/3,professional=50/20', RATE_LIMIT_WINDOW_MS: DAY_MS, RATE_LIMIT_BURST_WINDOW_MS: DAY_MS },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('counts a caller on the default plan and answers 429 RATE_LIMITED with Retry-After past its burst', async () => {
    const token = await stack.token('VIEWER', { subject: 'widget-1' });
    const seen: [string | null, string | null, string | null][] = [];
    for (let i = 0; i < 3; i += 1) {
      const { status, headers } = await stack.query(QUERY, { token });
      expect(status).toBe(200);
      seen.push([headers.get('x-ratelimit-limit'), headers.get('x-ratelimit-remaining'), headers.get('x-ratelimit-burst-remaining')]);
    }
    expect(seen).toEqual([
      ['5', '4', '2'],
      ['5', '3', '1'],
      ['5', '2', '0'],
    ]);
    const { status, headers, body } = await stack.query(QUERY, { token });
    expect(status).toBe(429);
    expect(body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
    expect(headers.get('x-ratelimit-burst-remaining')).toBe('0');
    // Another caller has its own budget.
    expect((await stack.query(QUERY, { token: await stack.token('VIEWER', { subject: 'widget-2' }) })).status).toBe(200);
  });

  it("takes the plan from the token's claim", async () => {
    const token = await stack.signedToken({ claims: { roles: ['VIEWER'], plan: 'professional' }, subject: 'partner-1' });
    const { status, headers } = await stack.query(QUERY, { token });
    expect(status).toBe(200);
    expect([headers.get('x-ratelimit-limit'), headers.get('x-ratelimit-burst-limit')]).toEqual(['50', '20']);
  });
});
