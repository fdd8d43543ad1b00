/**
 * Fixed-window request counters, by key: in process, or in Redis (INCR with an expiry) so
 * every replica counts in the same window. Outbound quotas and the gateway's per-caller rate
 * limit both count here.
 */
import { withRedis } from './redis.ts';

export interface WindowCounter {
  /** Takes a slot for key in the window starting at windowStart; the count after taking it. */
  take(key: string, windowStart: number, windowMs: number): Promise<number>;
}

export function windowCounter(options: { redisUrl?: string | undefined; prefix: string }): WindowCounter {
  return options.redisUrl ? redisCounter(options.redisUrl, options.prefix) : memoryCounter(options.prefix);
}

/** One per prefix in a process: services sharing a process (npm start) count together, as they would in Redis. */
const memoryCounters = new Map<string, WindowCounter>();
/** Beyond this many keys, those whose window is over are dropped. */
const SWEEP_ABOVE = 10_000;

function memoryCounter(prefix: string): WindowCounter {
  let counter = memoryCounters.get(prefix);
  if (counter) return counter;
  const counts = new Map<string, { windowStart: number; windowMs: number; count: number }>();
  counter = {
    async take(key, windowStart, windowMs) {
      if (counts.size > SWEEP_ABOVE) {
        const now = Date.now();
        for (const [name, entry] of counts) if (entry.windowStart + entry.windowMs <= now) counts.delete(name);
      }
      // Each key in its own window: a key's new window starts it at zero.
      const entry = counts.get(key);
      const count = entry && entry.windowStart === windowStart ? entry.count + 1 : 1;
      counts.set(key, { windowStart, windowMs, count });
      return count;
    },
  };
  memoryCounters.set(prefix, counter);
  return counter;
}

function redisCounter(url: string, prefix: string): WindowCounter {
  return {
    async take(key, windowStart, windowMs) {
      const name = `${prefix}${key}:${windowStart}`;
      const [count] = (await withRedis(url, (redis) => redis.multi().incr(name).pExpire(name, windowMs * 2).exec())) as unknown as [number];
      return Number(count);
    },
  };
}
