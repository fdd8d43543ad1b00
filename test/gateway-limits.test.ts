/** The gateway's guards: a per-caller rate limit (HTTP 429) and a nesting limit. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/stack.ts';

const QUERY = `{ plantApiStatus { up } }`;

describe('gateway limits', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { GATEWAY_RATE_LIMIT_PER_MINUTE: '3', GATEWAY_RATE_LIMIT_WINDOW_MS: '60000', GATEWAY_MAX_QUERY_DEPTH: '8', GATEWAY_REFUSED_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('counts requests per caller and answers 429 RATE_LIMITED with Retry-After past the limit', async () => {
    const token = await stack.token('VIEWER', { subject: 'widget-1' });
    // Start well inside a window, so all four requests count in the same one.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 50));
    const remaining: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { status, headers } = await stack.query(QUERY, { token });
      expect(status).toBe(200);
      expect(headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(headers.get('x-ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const { status, headers, body } = await stack.query(QUERY, { token });
    expect(status).toBe(429);
    expect(body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    // Another caller has its own budget.
    const other = await stack.query(QUERY, { token: await stack.token('VIEWER', { subject: 'widget-2' }) });
    expect(other.status).toBe(200);
  });

  it('turns a flood of refused tokens away by address, before each one becomes an audit row', async () => {
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 50));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await stack.query(QUERY, { token: 'not-a-token' })).status);
    expect(statuses).toEqual([401, 401, 429]);
    // A valid token from the same address is counted on its own.
    expect((await stack.query(QUERY, { token: await stack.token('VIEWER', { subject: 'widget-3' }) })).status).toBe(200);
  });

  it('refuses an operation nested deeper than the limit before running it', async () => {
    const token = await stack.token('ADMIN', { subject: 'deep-1' });
    const before = stack.stripe.requests();
    const deep = `{ customers(first: 1) { edges { node { charges(first: 1) { edges { node { customer { charges(first: 1) { edges { node { id } } } } } } } } } } }`;
    const { status, body } = await stack.query(deep, { token });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/nested 11 levels deep; the limit is 8/);
    expect(stack.stripe.requests()).toBe(before);

    const shallow = await stack.query(`{ customers(first: 1) { edges { node { id } } } }`, { token });
    expect(shallow.status).toBe(200);
  });
});
