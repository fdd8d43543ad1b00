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
import { logger } from '../../kit/logger.ts';
import { metrics } from '../../kit/metrics.ts';
import { createRedisClient, RedisGate } from '../../kit/redis.ts';

export interface CacheEntry<T> {
  value: T;
  /** Milliseconds since the epoch. */
  storedAt: number;
}

export interface EntryCache {
  getMany<T>(keys: readonly string[]): Promise<(CacheEntry<T> | undefined)[]>;
  set<T>(key: string, value: T, keepForMs: number): Promise<void>;
  /** Like set, but failing when the store did not take it: for writes that invalidate. */
  setOrThrow<T>(key: string, value: T, keepForMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  clear(): Promise<void>;
  disconnect(): Promise<void>;
  /** Runs an invalidation again every few hundred ms until it succeeds (a Redis outage); one per name. */
  retryUntilDone(name: string, work: () => Promise<unknown>): void;
}

/** The cache of one service: its namespace is the deployment's key prefix plus the service name. */
export function createCache(settings: Pick<Settings, 'redisUrl' | 'keyPrefix'>, service: string): EntryCache {
  const namespace = `${settings.keyPrefix}${service}`;
  // Errors are thrown so that this file decides: a failed read is a miss, a failed write is
  // skipped, a failed invalidation is retried until Redis takes it.
  const gate = settings.redisUrl ? new RedisGate(createRedisClient(settings.redisUrl, { name: `cache ${service}` })) : undefined;
  const keyv = gate
    ? new Keyv({
        store: new KeyvRedis(gate.client as never, { throwOnConnectError: false, throwOnErrors: true }),
        namespace,
        useKeyPrefix: false,
        throwOnErrors: true,
      })
    : new Keyv({ namespace });
  // Every Redis call bounded: a hung Redis is a miss after the command timeout, then at once for a moment.
  const bounded = <T>(call: () => Promise<T>): Promise<T> => (gate ? gate.run(call) : call());
  keyv.on('error', () => metrics.countCacheError(service));
  const invalidations = retriedUntilDone(`cache ${service}`);
  return {
    async getMany<T>(keys: readonly string[]) {
      if (keys.length === 0) return [];
      try {
        return (await bounded(() => keyv.getMany<CacheEntry<T>>([...keys]))).map((entry) => entry ?? undefined);
      } catch {
        return keys.map(() => undefined);
      }
    },
    async set(key, value, keepForMs) {
      await bounded(() => keyv.set(key, { value, storedAt: Date.now() }, keepForMs)).catch(() => false);
    },
    async setOrThrow(key, value, keepForMs) {
      await bounded(() => keyv.set(key, { value, storedAt: Date.now() }, keepForMs));
    },
    async delete(key) {
      // An entry that outlives a change would be served as fresh when Redis is back.
      await bounded(() => keyv.delete(key)).catch(() => invalidations.add(`delete ${key}`, () => bounded(() => keyv.delete(key))));
    },
    retryUntilDone: (name, work) => invalidations.add(name, work),
    async clear() {
      await keyv.clear();
    },
    async disconnect() {
      invalidations.stop();
      await keyv.disconnect().catch(() => undefined);
    },
  };
}

const RETRY_MS = 500;
/** Beyond this many, the oldest held invalidations are dropped (and logged): their entries expire by TTL. */
const MAX_HELD = 10_000;

/** Work retried in order until each piece succeeds. */
function retriedUntilDone(owner: string) {
  const held = new Map<string, () => Promise<unknown>>();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (timer || held.size === 0) return;
    timer = setTimeout(async () => {
      timer = undefined;
      for (const [name, work] of held) {
        try {
          await work();
          held.delete(name);
        } catch {
          break; // still away: everything waits for the next round
        }
      }
      schedule();
    }, RETRY_MS);
    timer.unref();
  };
  return {
    add(name: string, work: () => Promise<unknown>) {
      held.delete(name);
      held.set(name, work);
      if (held.size > MAX_HELD) {
        const [oldest] = held.keys();
        held.delete(oldest!);
        logger.warn('cache invalidation dropped: Redis away too long', { cache: owner });
      }
      schedule();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
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
      // Past both the current number and the clock: a Redis that came back empty (or could
      // not be read) still moves on to a number no kept page was stored under.
      const next = async () => await cache.setOrThrow(key, Math.max((await current()) + 1, Date.now()), GENERATION_KEEP_MS);
      await next().catch(() => cache.retryUntilDone(`bump ${key}`, next));
    },
  };
}
