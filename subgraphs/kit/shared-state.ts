/**
 * The last known state of things several replicas watch (an upstream's health, a plant's
 * status), shared through Redis when configured. Each state is recorded with the time of
 * the observation behind it, and `swap` replaces it only with a newer observation, in one
 * atomic step: of several replicas seeing the same transition exactly one finds it new, and
 * a replica whose view lags (its probe started before the others saw the upstream come
 * back) cannot turn the clock back and announce an old transition again. While Redis cannot
 * be asked, the swap falls back to what this process last knew and says so (`shared:
 * false`), so a transition is still noticed; what Redis lost (it came back empty) is filled
 * in from the same knowledge.
 */
import { withRedis } from '../../kit/redis.ts';

export interface Swap {
  /** The value before (undefined when never set). */
  previous: string | undefined;
  /** False when Redis could not be asked: `previous` is this process's own last knowledge. */
  shared: boolean;
  /** A newer observation is already recorded: nothing was written, and this one is no news. */
  outdated: boolean;
}

export interface SharedState {
  /** Sets key to value, observed at `at`, unless a newer observation is recorded; what it was before. */
  swap(key: string, value: string, at: Date): Promise<Swap>;
  /**
   * Sets key to value in the shared state alone; true when it held something else before.
   * Throws while Redis cannot be asked: a claim needs the other replicas' answer.
   */
  claim(key: string, value: string): Promise<boolean>;
}

interface Observed {
  readonly value: string;
  readonly at: number;
}

/** Stored as `value@millis`; a value written without a time counts as the oldest. */
const encode = ({ value, at }: Observed) => `${value}@${at}`;
function decode(stored: string): Observed {
  const separator = stored.lastIndexOf('@');
  const at = separator < 0 ? Number.NaN : Number(stored.slice(separator + 1));
  return Number.isFinite(at) ? { value: stored.slice(0, separator), at } : { value: stored, at: 0 };
}

/** An observation at a time that cannot be read counts as now. */
const observed = (value: string, at: Date): Observed => ({ value, at: Number.isFinite(at.getTime()) ? at.getTime() : Date.now() });

/** Keeps the newer of two observations; answers what was there and whether it stood. */
function newer(current: Observed | undefined, next: Observed): { previous: Observed | undefined; outdated: boolean } {
  return { previous: current, outdated: current !== undefined && current.at > next.at };
}

// Compare-and-set in Redis: the stored observation stays when it is newer than ARGV[2].
const SWAP_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local at = tonumber(string.match(current, '@(%d+)$')) or 0
  if at > tonumber(ARGV[2]) then return {current, 1} end
end
redis.call('SET', KEYS[1], ARGV[1])
return {current or '', 0}
`;

/** Without Redis every service of the process shares one map. */
const processWide = new Map<string, Observed>();

export function createSharedState(options: { redisUrl?: string | undefined; keyPrefix: string }): SharedState {
  const name = (key: string) => `${options.keyPrefix}state:${key}`;
  const url = options.redisUrl;
  if (!url) {
    return {
      async swap(key, value, at) {
        const next = observed(value, at);
        const { previous, outdated } = newer(processWide.get(name(key)), next);
        if (!outdated) processWide.set(name(key), next);
        return { previous: previous?.value, shared: true, outdated };
      },
      async claim(key, value) {
        const previous = processWide.get(name(key));
        processWide.set(name(key), { value, at: Date.now() });
        return previous?.value !== value;
      },
    };
  }
  const swapInRedis = (key: string, next: Observed) =>
    withRedis(url, async (redis) => {
      const [stored, outdated] = (await redis.eval(SWAP_IF_NEWER, { keys: [name(key)], arguments: [encode(next), String(next.at)] })) as [string, number];
      return { previous: stored ? decode(stored) : undefined, outdated: outdated === 1 };
    });
  // What this process last saw, for the time Redis cannot be asked.
  const known = new Map<string, Observed>();
  // What Redis missed while away, written as soon as it is back so the replicas agree again.
  const unsent = new Map<string, Observed>();
  let retry: NodeJS.Timeout | undefined;
  const sendUnsent = () => {
    if (retry || unsent.size === 0) return;
    retry = setTimeout(async () => {
      retry = undefined;
      for (const [key, observed] of unsent) {
        try {
          await swapInRedis(key, observed);
          if (unsent.get(key) === observed) unsent.delete(key);
        } catch {
          break;
        }
      }
      sendUnsent();
    }, 500);
    retry.unref();
  };
  return {
    async swap(key, value, at) {
      const next = observed(value, at);
      const local = known.get(key);
      if (!newer(local, next).outdated) known.set(key, next);
      try {
        const { previous, outdated } = await swapInRedis(key, next);
        unsent.delete(key);
        if (outdated && previous) known.set(key, previous);
        // Unknown to Redis (never set, or Redis came back empty): this process's knowledge stands in.
        return { previous: (previous ?? local)?.value, shared: true, outdated };
      } catch {
        unsent.set(key, known.get(key)!);
        sendUnsent();
        return { previous: local?.value, shared: false, outdated: newer(local, next).outdated };
      }
    },
    async claim(key, value) {
      const previous = await withRedis(url, (redis) => redis.set(name(key), value, { GET: true }));
      return previous === null || String(previous) !== value;
    },
  };
}
