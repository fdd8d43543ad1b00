/**
 * The last known state of things several replicas watch (an upstream's health, a plant's
 * status), shared through Redis when configured. `swap` sets the new state and returns the
 * previous one atomically, so of several replicas seeing the same transition exactly one
 * finds it new and publishes it. While Redis cannot be asked, the swap falls back to what
 * this process last knew and says so (`shared: false`), so a transition is still noticed;
 * what Redis lost (it came back empty) is filled in from the same knowledge.
 */
import { withRedis } from '../../kit/redis.ts';

export interface Swap {
  /** The value before (undefined when never set). */
  previous: string | undefined;
  /** False when Redis could not be asked: `previous` is this process's own last knowledge. */
  shared: boolean;
}

export interface SharedState {
  /** Sets key to value; what it was before. */
  swap(key: string, value: string): Promise<Swap>;
  /**
   * Sets key to value in the shared state alone; true when it held something else before.
   * Throws while Redis cannot be asked: a claim needs the other replicas' answer.
   */
  claim(key: string, value: string): Promise<boolean>;
}

/** Without Redis every service of the process shares one map. */
const processWide = new Map<string, string>();

export function createSharedState(options: { redisUrl?: string | undefined; keyPrefix: string }): SharedState {
  const name = (key: string) => `${options.keyPrefix}state:${key}`;
  const url = options.redisUrl;
  if (!url) {
    return {
      async swap(key, value) {
        const previous = processWide.get(name(key));
        processWide.set(name(key), value);
        return { previous, shared: true };
      },
      async claim(key, value) {
        const previous = processWide.get(name(key));
        processWide.set(name(key), value);
        return previous !== value;
      },
    };
  }
  // What this process last saw, for the time Redis cannot be asked.
  const known = new Map<string, string>();
  // What Redis missed while away, written as soon as it is back so the replicas agree again.
  const unsent = new Map<string, string>();
  let retry: NodeJS.Timeout | undefined;
  const sendUnsent = () => {
    if (retry || unsent.size === 0) return;
    retry = setTimeout(async () => {
      retry = undefined;
      for (const [key, value] of unsent) {
        try {
          await withRedis(url, (redis) => redis.set(name(key), value));
          if (unsent.get(key) === value) unsent.delete(key);
        } catch {
          break;
        }
      }
      sendUnsent();
    }, 500);
    retry.unref();
  };
  return {
    async swap(key, value) {
      const local = known.get(key);
      known.set(key, value);
      try {
        const previous = await withRedis(url, (redis) => redis.set(name(key), value, { GET: true }));
        unsent.delete(key);
        // Unknown to Redis (never set, or Redis came back empty): this process's knowledge stands in.
        return { previous: previous === null ? local : String(previous), shared: true };
      } catch {
        unsent.set(key, value);
        sendUnsent();
        return { previous: local, shared: false };
      }
    },
    async claim(key, value) {
      const previous = await withRedis(url, (redis) => redis.set(name(key), value, { GET: true }));
      return previous === null || String(previous) !== value;
    },
  };
}
