/**
 * Cached answers in Redis, shared by every gateway replica: each entry under its key with
 * its lifetime as the key's expiry, and a set per tag naming the entries that carry it
 * (living as long as its longest entry). Redis away or slow (kit/redis.ts bounds each call)
 * is a miss, a store not made, a drop not made: never a failed request. A drop Redis did not
 * take is still kept by this replica's own record of changes (invalidations.ts), and every
 * replica hears the change itself.
 */
import { logger } from '../../kit/logger.ts';
import { withRedis } from '../../kit/redis.ts';
import type { ServiceMetrics } from '../../kit/service-metrics.ts';
import type { CachedAnswer, ResponseStore } from './store.ts';

/** Deletes the entries named in each tag's set (their keys under the prefix in ARGV[1]), and the sets. */
const DROP_TAGGED = `
for _, tag in ipairs(KEYS) do
  for _, key in ipairs(redis.call('SMEMBERS', tag)) do redis.call('DEL', ARGV[1] .. key) end
  redis.call('DEL', tag)
end
return 1`;

export function redisStore({ url, keyPrefix, metrics }: { url: string; keyPrefix: string; metrics: ServiceMetrics }): ResponseStore {
  const entryKey = (key: string) => `${keyPrefix}response-cache:entry:${key}`;
  const tagKey = (tag: string) => `${keyPrefix}response-cache:tag:${tag}`;
  const failed = (what: string) => (error: unknown) => {
    metrics.countCacheError('response-cache');
    logger.warn(`response cache: ${what} failed`, { error: (error as Error).message });
    return undefined;
  };

  return {
    async get(key) {
      const raw = await withRedis(url, (redis) => redis.get(entryKey(key))).catch(failed('read'));
      if (!raw) return undefined;
      const entry = parseEntry(raw);
      return entry && entry.expiresAt > Date.now() ? entry : undefined;
    },
    async set(key, entry) {
      const ttlMs = entry.expiresAt - Date.now();
      if (ttlMs <= 0) return;
      await withRedis(url, (redis) => {
        const write = redis.multi().set(entryKey(key), JSON.stringify(entry), { PX: ttlMs });
        for (const tag of entry.tags) {
          // A new set has no expiry (NX sets one); a longer-lived entry lengthens it (GT).
          write.sAdd(tagKey(tag), key).pExpire(tagKey(tag), ttlMs, 'NX').pExpire(tagKey(tag), ttlMs, 'GT');
        }
        return write.exec();
      }).catch(failed('store'));
    },
    async drop(tags) {
      // One script: Redis runs it before anything this process sends after (the publication
      // that announced the change, on the same connection), so no replica reads the entry after.
      await withRedis(url, (redis) => redis.eval(DROP_TAGGED, { keys: tags.map(tagKey), arguments: [entryKey('')] })).catch(failed('drop'));
    },
    async close() {
      // The shared client belongs to the process (kit/redis.ts).
    },
  };
}

/** An entry as stored; one that does not read back (another version wrote it) is a miss. */
function parseEntry(raw: string): CachedAnswer | undefined {
  try {
    const entry = JSON.parse(raw) as Partial<CachedAnswer> | null;
    return entry && typeof entry.expiresAt === 'number' && typeof entry.storedAt === 'number' && Array.isArray(entry.tags) && Array.isArray(entry.audited) && entry.data ? (entry as CachedAnswer) : undefined;
  } catch {
    return undefined;
  }
}
