/**
 * The one cache of a subgraph, a namespace per subgraph. In process, an LRU of frozen
 * entries read without (de)serialising (memory-tier.ts); with REDIS_URL, that tier in front
 * of a Keyv store on Redis, shared by replicas. Entries remember when they were stored so
 * that an expired answer can still be served, marked stale, while its upstream is down. On
 * Redis, the client is the kit's (kit/redis.ts): while Redis is away, reads are misses and
 * writes are skipped at once, never waiting for it.
 *
 * Values read are shared and frozen: callers must copy before changing one (writing to a
 * frozen object throws in ES modules).
 */
import { randomUUID } from 'node:crypto';
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import type { Settings } from '../../config/settings.ts';
import { logger } from '../../kit/logger.ts';
import { metrics } from '../../kit/metrics.ts';
import { createPubSub, type PubSub } from '../../kit/pubsub.ts';
import { createRedisClient, RedisGate } from '../../kit/redis.ts';
import { memoryTier, type CacheEntry, type MemoryTier } from './memory-tier.ts';

export type { CacheEntry } from './memory-tier.ts';

export interface EntryCache {
  /** Entries found, frozen (shared with later readers: never change one). */
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

/** Without Redis the memory tier is the whole cache: as roomy as the unbounded store it replaced needed. */
const MEMORY_ONLY_ENTRIES = 100_000;
/** In front of Redis: the hot entries only, and briefly (a missed invalidation lasts this long at most). */
const FRONT_ENTRIES = 10_000;
const FRONT_MS = 2_000;

/** The cache of one service: its namespace is the deployment's key prefix plus the service name. */
export function createCache(settings: Pick<Settings, 'redisUrl' | 'keyPrefix'>, service: string): EntryCache {
  if (!settings.redisUrl) return memoryCache(memoryTier({ maxEntries: MEMORY_ONLY_ENTRIES }), service);
  return redisCache(settings.redisUrl, settings.keyPrefix, service);
}

function memoryCache(memory: MemoryTier, service: string): EntryCache {
  const invalidations = retriedUntilDone(`cache ${service}`);
  const put = async <T>(key: string, value: T, keepForMs: number) => void memory.set(key, { value, storedAt: Date.now() }, keepForMs);
  return {
    async getMany<T>(keys: readonly string[]) {
      return keys.map((key) => memory.get<T>(key));
    },
    set: put,
    setOrThrow: put,
    async delete(key) {
      memory.delete(key);
    },
    retryUntilDone: (name, work) => invalidations.add(name, work),
    async clear() {
      memory.clear();
    },
    async disconnect() {
      invalidations.stop();
      memory.clear();
    },
  };
}

function redisCache(redisUrl: string, keyPrefix: string, service: string): EntryCache {
  const namespace = `${keyPrefix}${service}`;
  // Errors are thrown so that this file decides: a failed read is a miss, a failed write is
  // skipped, a failed invalidation is retried until Redis takes it.
  const gate = new RedisGate(createRedisClient(redisUrl, { name: `cache ${service}` }));
  const keyv = new Keyv({
    store: new KeyvRedis(gate.client as never, { throwOnConnectError: false, throwOnErrors: true }),
    namespace,
    useKeyPrefix: false,
    throwOnErrors: true,
  });
  // Every Redis call bounded: a hung Redis is a miss after the command timeout, then at once for a moment.
  const bounded = <T>(call: () => Promise<T>): Promise<T> => gate.run(call);
  keyv.on('error', () => metrics.countCacheError(service));
  const invalidations = retriedUntilDone(`cache ${service}`);
  const memory = memoryTier({ maxEntries: FRONT_ENTRIES, longestMs: FRONT_MS });
  const replicas = invalidationChannel(createPubSub({ redisUrl, keyPrefix }), service, (key) => memory.delete(key));
  const store = async <T>(key: string, value: T, keepForMs: number) => {
    const entry = { value, storedAt: Date.now() };
    await bounded(() => keyv.set(key, entry, keepForMs));
    memory.set(key, entry, keepForMs);
  };
  return {
    async getMany<T>(keys: readonly string[]) {
      if (keys.length === 0) return [];
      const found = keys.map((key) => memory.get<T>(key));
      const missing = keys.filter((_, i) => found[i] === undefined);
      if (missing.length === 0) return found;
      // What another replica invalidates while this read is out is not kept in memory.
      const heard = replicas.heard();
      let read: (CacheEntry<T> | undefined)[];
      try {
        read = (await bounded(() => keyv.getMany<CacheEntry<T>>([...missing]))).map((entry) => entry ?? undefined);
      } catch {
        return found;
      }
      const keep = replicas.heard() === heard;
      let next = 0;
      return keys.map((key, i) => {
        if (found[i] !== undefined) return found[i];
        const entry = read[next++];
        return entry && keep ? memory.set(key, entry, FRONT_MS, true) : entry;
      });
    },
    async set(key, value, keepForMs) {
      await store(key, value, keepForMs).catch(() => false);
    },
    async setOrThrow(key, value, keepForMs) {
      memory.delete(key);
      await store(key, value, keepForMs);
      replicas.announce(key);
    },
    async delete(key) {
      memory.delete(key);
      // An entry that outlives a change would be served as fresh when Redis is back.
      await bounded(() => keyv.delete(key)).catch(() => invalidations.add(`delete ${key}`, () => bounded(() => keyv.delete(key))));
      replicas.announce(key);
    },
    retryUntilDone: (name, work) => invalidations.add(name, work),
    async clear() {
      memory.clear();
      await keyv.clear();
    },
    async disconnect() {
      invalidations.stop();
      memory.clear();
      await replicas.close();
      await keyv.disconnect().catch(() => undefined);
    },
  };
}

/**
 * Tells the other replicas' memory tiers which keys changed (pub/sub, kit/pubsub.ts): each
 * drops its copy, so a webhook handled by one replica is seen by all on their next read.
 */
function invalidationChannel(pubsub: PubSub, service: string, drop: (key: string) => void) {
  const channel = `cache-invalidations:${service}`;
  const origin = randomUUID();
  let heard = 0;
  const subscribed = pubsub
    .subscribe(channel, (message) => {
      const { from, key } = (message ?? {}) as { from?: unknown; key?: unknown };
      if (from === origin || typeof key !== 'string') return;
      heard += 1;
      drop(key);
    })
    .catch((error: unknown) => {
      logger.warn('cache invalidations not heard: subscription failed', { cache: service, error: String(error) });
      return undefined;
    });
  return {
    /** How many invalidations were heard so far. */
    heard: () => heard,
    announce(key: string): void {
      void pubsub.publish(channel, { from: origin, key }).catch(() => undefined);
    },
    async close() {
      await (await subscribed)?.();
      await pubsub.close();
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
