/**
 * DataLoader over the cached upstream pipeline: a request's lookups by key are deduplicated
 * and batched into one readMany, which asks the upstream only for what is not fresh.
 */
import DataLoader from 'dataloader';
import type { RequestWork } from './request-work.ts';
import type { AfterCall, BatchFetch, Upstream } from './upstream.ts';

export interface BatchLoaderOptions {
  /** Largest batch the upstream accepts in one call. */
  maxBatchSize?: number;
  /** The request's work, so fields that report on it can wait for the batches (RequestWork). */
  work?: RequestWork;
}

/**
 * A loader whose values are T, or null when the upstream does not know the key.
 * Keys that failed reject with a client-facing error; a failed batch is not cached.
 */
export function cachedBatchLoader<T>(upstream: Upstream, cachePrefix: string, fetch: BatchFetch<T>, options: BatchLoaderOptions = {}) {
  return new DataLoader<string, T | null>(
    async (keys) => {
      const reading = upstream.readMany<T>(
        keys.map((key) => `${cachePrefix}:${key}`),
        async (missing, signal, after) => {
          const ids = missing.map((key) => key.slice(cachePrefix.length + 1));
          const found = await fetch(ids, signal, after);
          return new Map([...found].map(([id, value]) => [`${cachePrefix}:${id}`, value]));
        },
      );
      return options.work ? options.work.track(reading) : reading;
    },
    { maxBatchSize: options.maxBatchSize ?? 100 },
  );
}

/**
 * For upstreams without a batch endpoint: a request's lookups are deduplicated by keyOf,
 * and each distinct key is its own cached read (its own retries and timeout), so one slow or
 * failing key does not fail the others. Values are T, or null when the upstream does not
 * know the key; failed keys reject with a client-facing error.
 */
export function cachedItemLoader<K, T>(
  upstream: Upstream,
  cachePrefix: string,
  fetchOne: (key: K, signal: AbortSignal, after: AfterCall) => Promise<T | null>,
  keyOf: (key: K) => string = String,
) {
  return new DataLoader<K, T | null, string>(
    (keys) =>
      Promise.all(
        keys.map((key) => upstream.read<T | null>(`${cachePrefix}:${keyOf(key)}`, (signal, after) => fetchOne(key, signal, after)).catch((error: Error) => error)),
      ),
    { cacheKeyFn: keyOf },
  );
}
