/**
 * The Plant API goes down: cached plants are served stale with a banner, uncached ones are
 * null with UPSTREAM_UNAVAILABLE, and when it comes back the banner goes away by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, FAST_RESILIENCE, setFaults, startTestStack, type TestStack } from './support/stack.ts';

const STATUS = `{ plantApiStatus { up since banner { message since } } }`;
type StatusAnswer = { plantApiStatus: { up: boolean; since: string; banner: { message: string; since: string } | null } };

describe('Plant API downtime', () => {
  let stack: TestStack;
  let token: string;
  beforeAll(async () => {
    // A short fresh lifetime so that queries during the outage really go upstream.
    stack = await startTestStack({ env: { ...FAST_RESILIENCE, PLANT_API_CACHE_TTL_MS: '100' } });
    token = await stack.token('VIEWER');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('starts up, without a banner', async () => {
    const { body } = await stack.query<StatusAnswer>(STATUS, { token });
    expect(body.data!.plantApiStatus).toMatchObject({ up: true, banner: null });
  });

  it('serves stale data with a banner while down, and null + UPSTREAM_UNAVAILABLE where nothing is cached', async () => {
    const warm = await stack.query<{ plant: { name: string } }>(`{ plant(id: "plant-020") { id name operator { email } } }`, { token });
    expect(warm.body.errors).toBeUndefined();
    await setFaults(stack.plantApi.url, { down: true });
    const status = await eventually(async () => {
      const { body } = await stack.query<StatusAnswer>(STATUS, { token });
      return body.data!.plantApiStatus.up ? undefined : body.data!.plantApiStatus;
    });
    expect(status.banner?.message).toBe(`Plant data may be out of date since ${status.since}.`);
    expect(status.banner?.since).toBe(status.since);

    await new Promise((resolve) => setTimeout(resolve, 150)); // past the fresh lifetime
    const stale = await stack.query<{ plant: { id: string; name: string; operator: { email: string } } }>(
      `{ plant(id: "plant-020") { id name operator { email } } }`,
      { token },
    );
    expect(stale.body.errors).toBeUndefined();
    expect(stale.body.data!.plant).toEqual(warm.body.data!.plant);

    const cold = await stack.query<{ plant: unknown; plantApiStatus: StatusAnswer['plantApiStatus'] }>(
      `{ plant(id: "plant-099") { id } plantApiStatus { up } }`,
      { token },
    );
    expect(cold.body.data!.plant).toBeNull();
    expect(cold.body.data!.plantApiStatus.up).toBe(false); // partial data: the rest still answers
    expect(cold.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(JSON.stringify(cold.body)).not.toMatch(/stack|at .*\.ts/);
  });

  it('drops the banner by itself when the Plant API is back', async () => {
    await setFaults(stack.plantApi.url, { down: false });
    const status = await eventually(async () => {
      const { body } = await stack.query<StatusAnswer>(STATUS, { token });
      return body.data!.plantApiStatus.up ? body.data!.plantApiStatus : undefined;
    });
    expect(status.banner).toBeNull();
    const fresh = await eventually(async () => {
      const { body } = await stack.query<{ plant: { id: string } | null }>(`{ plant(id: "plant-099") { id } }`, { token });
      return body.data?.plant ?? undefined;
    });
    expect(fresh.id).toBe('plant-099');
  });

  it('answers UPSTREAM_TIMEOUT or serves stale when the Plant API is too slow', async () => {
    await setFaults(stack.plantApi.url, { latencyMs: 5000 });
    try {
      const started = Date.now();
      const { body } = await stack.query<{ plant: unknown }>(`{ plant(id: "plant-100") { id } }`, { token });
      expect(body.data!.plant).toBeNull();
      expect(['UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE']).toContain(body.errors?.[0]?.extensions?.code);
      // Three attempts of at most 1 s each, never the upstream's 5 s.
      expect(Date.now() - started).toBeLessThan(4500);
    } finally {
      await setFaults(stack.plantApi.url, { latencyMs: 0 });
    }
  });
});
