/**
 * The one Keyv store of a process (in-memory by default, Redis with REDIS_URL), with a
 * namespace per subgraph. Entries remember when they were stored so that an expired answer
 * can still be served, marked stale, while its upstream is down. On Redis, the client is
 * the kit's (kit/redis.ts): while Redis is away, reads are misses and writes are skipped at
 * once, never waiting for it.
 */
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import type { Settings } from '../../config/settings.ts';
import { metrics } from './metrics.ts';
import { createRedisClient } from './redis.ts';

export interface CacheEntry<T> {
  value: T;
  /** Milliseconds since the epoch. */
  storedAt: number;
}

export interface EntryCache {
  getMany<T>(keys: readonly string[]): Promise<(CacheEntry<T> | undefined)[]>;
  set<T>(key: string, value: T, keepForMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  clear(): Promise<void>;
  disconnect(): Promise<void>;
}

/** The cache of one service: its namespace is the deployment's key prefix plus the service name. */
export function createCache(settings: Pick<Settings, 'redisUrl' | 'keyPrefix'>, service: string): EntryCache {
  const namespace = `${settings.keyPrefix}${service}`;
  const keyv = settings.redisUrl
    ? new Keyv({ store: new KeyvRedis(createRedisClient(settings.redisUrl, { name: `cache ${service}` }) as never, { throwOnConnectError: false }), namespace, useKeyPrefix: false })
    : new Keyv({ namespace });
  // A cache outage must not fail requests: Keyv reports it here, calls fall through to the upstream.
  keyv.on('error', () => metrics.count('cache_errors_total', { service }));
  return {
    async getMany<T>(keys: readonly string[]) {
      if (keys.length === 0) return [];
      try {
        return (await keyv.getMany<CacheEntry<T>>([...keys])).map((entry) => entry ?? undefined);
      } catch {
        return keys.map(() => undefined);
      }
    },
    async set(key, value, keepForMs) {
      await keyv.set(key, { value, storedAt: Date.now() }, keepForMs).catch(() => false);
    },
    async delete(key) {
      await keyv.delete(key).catch(() => false);
    },
    async clear() {
      await keyv.clear();
    },
    async disconnect() {
      await keyv.disconnect().catch(() => undefined);
    },
  };
}

/**
 * A number that versions cached list pages: pages are cached under the current generation
 * and a change bumps it, so no cached list outlives a change to any of its items (whichever
 * filters it was fetched with). Stored in the cache, so replicas sharing Redis agree.
 */
export interface CacheGeneration {
  current(): Promise<number>;
  bump(): Promise<void>;
}

const GENERATION_KEEP_MS = 7 * 24 * 3600 * 1000;

export function cacheGeneration(cache: EntryCache, name: string): CacheGeneration {
  // Not `<namespace>:...`: Keyv's in-memory getMany mistakes a key that starts with its own
  // namespace prefix for an already prefixed one, and finds nothing.
  const key = `generation:${name}`;
  const current = async () => (await cache.getMany<number>([key]))[0]?.value ?? 0;
  return {
    current,
    async bump() {
      await cache.set(key, (await current()) + 1, GENERATION_KEEP_MS);
    },
  };
}
