/**
 * What the plants subgraph costs the Plant API, counted by the sandbox: batching of lookups
 * by id, caching across requests, OAuth2 token refresh. Runs against the in-memory cache
 * and against real Redis.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/stack.ts';
import { REDIS_URL } from './support/services.ts';
import { createClient } from 'redis';

const NO_PROBE = { PLANT_API_HEALTH_PROBE_MS: '3600000' };

const aliases = (ids: string[]) => `{ ${ids.map((id, i) => `p${i}: plant(id: "${id}") { id name status }`).join(' ')} }`;

describe.each([
  ['in-memory cache', {}],
  ['Redis cache', { REDIS_URL }],
])('Plant API calls with the %s', (_name, cacheEnv) => {
  let stack: TestStack;
  let token: string;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ...NO_PROBE, ...cacheEnv, KEY_PREFIX: `test-${randomUUID()}:` } });
    token = await stack.token('VIEWER');
    // Warm the connector's OAuth2 token so the counts below are of data requests only.
    await stack.query(aliases(['plant-120']), { token });
  });
  afterAll(async () => {
    await stack.close();
  });

  async function cost(query: string): Promise<{ requests: number; body: Awaited<ReturnType<TestStack['query']>>['body'] }> {
    const before = stack.plantApi.requests();
    const { body } = await stack.query(query, { token });
    return { requests: stack.plantApi.requests() - before, body };
  }

  it('batches five plant(id:) aliases into one upstream call', async () => {
    const { requests, body } = await cost(aliases(['plant-001', 'plant-002', 'plant-003', 'plant-004', 'plant-005']));
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data as object)).toHaveLength(5);
    expect(requests).toBe(1);
  });

  it('serves a repeated query from the cache without calling upstream', async () => {
    const { requests, body } = await cost(aliases(['plant-001', 'plant-002', 'plant-003', 'plant-004', 'plant-005']));
    expect(body.errors).toBeUndefined();
    expect(requests).toBe(0);
  });

  it('asks upstream only for the ids that are not cached', async () => {
    const { requests } = await cost(aliases(['plant-001', 'plant-006', 'plant-007']));
    expect(requests).toBe(1);
  });

  it('primes the plants of a list page, so later lookups by id are free', async () => {
    const page = await cost(`{ plants(first: 50, after: null) { edges { node { id } } } }`);
    expect(page.requests).toBeLessThanOrEqual(1);
    const { requests } = await cost(aliases(['plant-030', 'plant-040', 'plant-050']));
    expect(requests).toBe(0);
  });

  it('deduplicates the same id asked twice in one request', async () => {
    const { requests } = await cost(aliases(['plant-060', 'plant-060', 'plant-060']));
    expect(requests).toBe(1);
  });
});

describe('OAuth2 towards the Plant API', () => {
  let stack: TestStack;
  let token: string;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ...NO_PROBE, PLANT_API_TOKEN_TTL_SECONDS: '1' } });
    token = await stack.token('VIEWER');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('fetches a token once, then refreshes it before it expires (no 401 spent)', async () => {
    const first = stack.plantApi.requests();
    await stack.query(aliases(['plant-011']), { token });
    expect(stack.plantApi.requests() - first).toBe(2); // token + batch
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the 1 s token is now past its refresh point
    const second = stack.plantApi.requests();
    const { body } = await stack.query(aliases(['plant-012']), { token });
    expect(body.errors).toBeUndefined();
    expect(stack.plantApi.requests() - second).toBe(2); // a new token + batch, no rejected call
  });

  it('recovers from a token the Plant API revoked: one 401, a new token, the call again', async () => {
    await fetch(`${stack.plantApi.url}/__admin/revoke-tokens`, { method: 'POST' });
    const before = stack.plantApi.requests();
    const { body } = await stack.query(aliases(['plant-013']), { token });
    expect(body.errors).toBeUndefined();
    expect((body.data as { p0: { id: string } }).p0.id).toBe('plant-013');
    expect(stack.plantApi.requests() - before).toBe(3);
  });
});

describe('the Redis cache is shared', () => {
  it('stores plant answers in Redis, where a second subgraph replica finds them', async () => {
    const env = { ...NO_PROBE, REDIS_URL, KEY_PREFIX: `test-${randomUUID()}:` };
    const first = await startTestStack({ env });
    const second = await startTestStack({ env });
    try {
      const token = await first.token('VIEWER');
      await first.query(aliases(['plant-021']), { token });
      const redis = await createClient({ url: REDIS_URL }).connect();
      const keys = await redis.keys(`${env.KEY_PREFIX}*`);
      await redis.close();
      expect(keys.some((key) => key.includes('plant:plant-021'))).toBe(true);
      // The second stack has its own Plant API sandbox, which is never asked.
      const before = second.plantApi.requests();
      const { body } = await second.query(aliases(['plant-021']), { token: await second.token('VIEWER') });
      expect((body.data as { p0: { id: string } }).p0.id).toBe('plant-021');
      expect(second.plantApi.requests()).toBe(before);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
