/**
 * The last known state of things several replicas watch (an upstream's health, a plant's
 * status), shared through Redis when configured. `swap` sets the new state and returns the
 * previous one atomically, so of several replicas seeing the same transition exactly one
 * finds it new and publishes it.
 */
import { withRedis } from './redis.ts';

export interface SharedState {
  /** Sets key to value; the value it had before (undefined when never set). */
  swap(key: string, value: string): Promise<string | undefined>;
}

const local = new Map<string, string>();

export function createSharedState(options: { redisUrl?: string | undefined; keyPrefix: string }): SharedState {
  const name = (key: string) => `${options.keyPrefix}state:${key}`;
  if (!options.redisUrl) {
    return {
      async swap(key, value) {
        const previous = local.get(name(key));
        local.set(name(key), value);
        return previous;
      },
    };
  }
  const url = options.redisUrl;
  return {
    async swap(key, value) {
      const previous = await withRedis(url, (redis) => redis.set(name(key), value, { GET: true }));
      return previous === null ? undefined : String(previous);
    },
  };
}
