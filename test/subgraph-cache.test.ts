/**
 * The subgraphs' cache: a warm read hands out the stored object itself (no JSON round trip),
 * frozen, with the same content a JSON store gave back; TTLs hold; and with Redis, a change
 * made through one replica drops the other replicas' in-process copies.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { cacheGeneration, createCache, type EntryCache } from '../subgraphs/kit/cache.ts';
import { memoryTier } from '../subgraphs/kit/memory-tier.ts';
import { REDIS_URL } from './support/services.ts';
import { eventually } from './support/eventually.ts';

const opened: EntryCache[] = [];
const open = (redisUrl?: string, keyPrefix = `test-${randomUUID()}:`) => {
  const cache = createCache({ redisUrl, keyPrefix }, 'plants');
  opened.push(cache);
  return cache;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.disconnect()));
});

describe('the in-process cache (no Redis)', () => {
  it('returns the stored object itself on a warm read, frozen, as a JSON store would have given it', async () => {
    const cache = open();
    await cache.set('plant:1', { name: 'North', at: new Date('2026-01-01T00:00:00Z'), gone: undefined, tags: ['a'] }, 60_000);
    const [first] = await cache.getMany<Record<string, unknown>>(['plant:1']);
    const [second] = await cache.getMany<Record<string, unknown>>(['plant:1']);
    expect(second).toBe(first);
    expect(first!.value).toEqual({ name: 'North', at: '2026-01-01T00:00:00.000Z', tags: ['a'] });
    expect('gone' in first!.value).toBe(false);
    expect(Object.isFrozen(first!.value)).toBe(true);
    expect(() => (first!.value.tags as string[]).push('b')).toThrow(TypeError);
  });

  it('keeps an entry for its TTL only, and drops it on delete', async () => {
    const cache = open();
    await cache.set('short', 1, 30);
    await cache.set('long', 2, 60_000);
    await eventually(async () => ((await cache.getMany(['short']))[0] === undefined ? true : undefined));
    expect((await cache.getMany<number>(['long']))[0]?.value).toBe(2);
    await cache.delete('long');
    expect(await cache.getMany(['long'])).toEqual([undefined]);
  });

  it('stays within its bound, dropping the least recently read first', () => {
    const memory = memoryTier({ maxEntries: 2 });
    memory.set('a', { value: 1, storedAt: 0 }, 60_000);
    memory.set('b', { value: 2, storedAt: 0 }, 60_000);
    memory.get('a');
    memory.set('c', { value: 3, storedAt: 0 }, 60_000);
    expect([memory.get('a')?.value, memory.get('b'), memory.get('c')?.value]).toEqual([1, undefined, 3]);
  });
});

describe('the in-process tier in front of Redis', () => {
  it('serves a warm read from memory, and drops a replica’s copy when another replica deletes or bumps', async () => {
    const keyPrefix = `test-${randomUUID()}:`;
    const one = open(REDIS_URL, keyPrefix);
    const two = open(REDIS_URL, keyPrefix);
    await one.set('plant:7', { status: 'ONLINE' }, 60_000);
    const [read] = await two.getMany<{ status: string }>(['plant:7']);
    expect(read?.value).toEqual({ status: 'ONLINE' });
    expect((await two.getMany(['plant:7']))[0]).toBe(read);

    await one.delete('plant:7');
    // Sooner than the memory tier's own 2 s bound: the invalidation dropped it.
    const soon = { timeoutMs: 1_000 };
    await eventually(async () => ((await two.getMany(['plant:7']))[0] === undefined ? true : undefined), soon);

    const pages = [cacheGeneration(one, 'plants'), cacheGeneration(two, 'plants')] as const;
    const before = await pages[1].current();
    await pages[0].bump();
    await eventually(async () => ((await pages[1].current()) > before ? true : undefined), soon);
  });
});

describe('a plants replica in another process', () => {
  it('drops its in-process copy of a plant when the replica that took the webhook announces it', async () => {
    const { startTestStack } = await import('./support/stack.ts');
    const { launch } = await import('../scripts/processes.ts');
    const { internalTokens } = await import('../kit/internal-token.ts');
    const { scopesFor } = await import('../kit/roles.ts');
    const stack = await startTestStack({ env: { REDIS_URL, KEY_PREFIX: `test-${randomUUID()}:`, LOG_LEVEL: 'silent' } });
    const other = await launch({ name: 'plants replica', main: 'subgraphs/plants/main.ts', env: { ...stack.env, PLANTS_PORT: '0' } });
    try {
      const token = await internalTokens(stack.settings).sign({ subject: 'viewer-1', roles: ['VIEWER'], scopes: scopesFor(['VIEWER']), plan: 'basic', expiresAt: 0 }, randomUUID());
      const statusAt = async (url: string) => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ plant(id: "plant-064") { status } }' }) });
        return ((await response.json()) as { data: { plant: { status: string } } }).data.plant.status;
      };
      const before = await statusAt(stack.subgraphs.get('plants')!.url);
      // The other replica holds the plant in memory (read twice: from Redis, then from memory).
      expect(await statusAt(other.url)).toBe(before);
      expect(await statusAt(other.url)).toBe(before);
      const changed = before === 'OFFLINE' ? 'ONLINE' : 'OFFLINE';
      // The sandbox's change webhook goes to the stack's replica, which drops and refetches the plant.
      await fetch(`${stack.plantApi.url}/__admin/plants/plant-064`, { method: 'POST', body: JSON.stringify({ status: changed }) });
      // Sooner than the memory tier's own 2 s bound: the announcement dropped it.
      await eventually(async () => ((await statusAt(other.url)) === changed ? true : undefined), { timeoutMs: 1_000 });
    } finally {
      await other.stop();
      await stack.close();
    }
  });
});
