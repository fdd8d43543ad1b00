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
  return options.redisUrl ? redisCounter(options.redisUrl, options.prefix) : memoryCounter();
}

function memoryCounter(): WindowCounter {
  let windowStartOfCounts = 0;
  let counts = new Map<string, number>();
  return {
    async take(key, windowStart) {
      // A new window forgets the old one whole, so idle keys never pile up.
      if (windowStart !== windowStartOfCounts) {
        windowStartOfCounts = windowStart;
        counts = new Map();
      }
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return count;
    },
  };
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
