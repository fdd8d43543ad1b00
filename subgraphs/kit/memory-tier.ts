/**
 * The in-process tier of a subgraph's cache: a bounded LRU of entries with their TTLs, read
 * without (de)serialising. A value is stored as its JSON round trip (what a Keyv store gave
 * back before: no undefined fields, Dates as strings), deep-frozen, so a warm hit hands out
 * the one stored object and no caller can change it for the next request.
 */

/** A cached value and when it was stored (cache.ts re-exports it). */
export interface CacheEntry<T> {
  value: T;
  /** Milliseconds since the epoch. */
  storedAt: number;
}

interface Held {
  entry: CacheEntry<unknown>;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface MemoryTier {
  get<T>(key: string): CacheEntry<T> | undefined;
  /**
   * Stores a copy of the entry (its JSON round trip, frozen) for `keepForMs`; `plain` says
   * the entry is fresh from JSON already (read from Redis), so only freezing is left.
   */
  set<T>(key: string, entry: CacheEntry<T>, keepForMs: number, plain?: boolean): CacheEntry<T>;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

/**
 * @param maxEntries beyond this many, the least recently read entries go first
 * @param longestMs no entry is kept longer than this, whatever its own TTL (Infinity: its TTL)
 */
export function memoryTier({ maxEntries, longestMs = Infinity }: { maxEntries: number; longestMs?: number }): MemoryTier {
  // A Map keeps insertion order: re-inserting on read makes its first key the least recently used.
  const held = new Map<string, Held>();
  return {
    get<T>(key: string) {
      const found = held.get(key);
      if (!found) return undefined;
      if (found.expiresAt <= Date.now()) {
        held.delete(key);
        return undefined;
      }
      held.delete(key);
      held.set(key, found);
      return found.entry as CacheEntry<T>;
    },
    set<T>(key: string, entry: CacheEntry<T>, keepForMs: number, plain = false) {
      // Keyv's rule: a TTL of 0 or less keeps the entry for ever.
      const ttl = keepForMs > 0 ? Math.min(keepForMs, longestMs) : longestMs;
      const stored = deepFreeze(plain ? entry : { value: roundTrip(entry.value), storedAt: entry.storedAt }) as CacheEntry<T>;
      held.delete(key);
      held.set(key, { entry: stored, expiresAt: Date.now() + ttl });
      while (held.size > maxEntries) held.delete(held.keys().next().value!);
      return stored;
    },
    delete: (key) => void held.delete(key),
    clear: () => held.clear(),
    get size() {
      return held.size;
    },
  };
}

function roundTrip(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
