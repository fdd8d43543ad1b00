/**
 * The upstream call pipeline of ARCHITECTURE.md below the DataLoaders:
 * cache (fresh hit) -> breaker -> quota -> retry -> timeout -> HTTP, then store; on an
 * outage, an expired cached answer is served stale and the health signal drops.
 */
import type { UpstreamPolicy } from '../../config/settings.ts';
import type { EntryCache } from './cache.ts';
import { UpstreamHealth } from './health.ts';
import { logger } from './logger.ts';
import { metrics } from './metrics.ts';
import type { OutboundQuota } from './quota.ts';
import { createResilience, type Resilience } from './resilience.ts';
import { toGraphQLError, UpstreamError } from './upstream-error.ts';
import { watchUpstream } from './upstream-watch.ts';

export interface UpstreamOptions {
  /** API name, used in cache keys, metrics, errors and audit events. */
  api: string;
  /** Which credentials the answers were fetched with; part of every cache key. */
  credentialScope: string;
  policy: UpstreamPolicy;
  cache: EntryCache;
  quota?: OutboundQuota | undefined;
  /** Told about every failed call (audit). */
  onFailure?: (error: UpstreamError) => void;
}

/** Fetches the values for keys that were not fresh in the cache; absent keys mean "not found". */
export type BatchFetch<T> = (keys: readonly string[], signal: AbortSignal) => Promise<ReadonlyMap<string, T>>;

export class Upstream {
  readonly api: string;
  readonly health = new UpstreamHealth();
  readonly resilience: Resilience;
  readonly #options: UpstreamOptions;

  constructor(options: UpstreamOptions) {
    this.#options = options;
    this.api = options.api;
    this.resilience = createResilience(options.api, options.policy, options.quota);
    this.resilience.onBreakerChange((state) => {
      if (state === 'open') this.health.reportDown();
    });
    watchUpstream(this);
  }

  /**
   * Cached reads of many keys with one upstream call for all that are not fresh.
   * Returns, per key in order, the value, null when the upstream does not know it, or an
   * Error (client-facing) when it failed and nothing was cached.
   */
  async readMany<T>(keys: readonly string[], fetch: BatchFetch<T>): Promise<(T | null | Error)[]> {
    const { policy, cache } = this.#options;
    const cacheKeys = keys.map((key) => this.cacheKey(key));
    const entries = await cache.getMany<T | null>(cacheKeys);
    const now = Date.now();
    const results: (T | null | Error | undefined)[] = entries.map((entry) =>
      entry && now - entry.storedAt < policy.cacheTtlMs ? entry.value : undefined,
    );
    metrics.countCache(this.api, results.filter((r) => r !== undefined).length, results.filter((r) => r === undefined).length);
    const missing = keys.filter((_, i) => results[i] === undefined);
    if (missing.length === 0) return results as (T | null)[];

    try {
      const fetched = await this.call((signal) => fetch(missing, signal), { idempotent: true });
      const keepFor = policy.cacheTtlMs + policy.staleTtlMs;
      await Promise.all(
        keys.map((key, i) => {
          if (results[i] !== undefined) return undefined;
          const value = fetched.get(key) ?? null;
          results[i] = value;
          return cache.set(cacheKeys[i] as string, value, keepFor);
        }),
      );
      return results as (T | null)[];
    } catch (error) {
      const served = error instanceof UpstreamError && error.servesStale;
      const failure = toGraphQLError(error, this.api);
      return keys.map((_, i) => {
        const value = results[i];
        if (value !== undefined) return value;
        const stale = entries[i];
        if (served && stale) {
          metrics.countStale(this.api);
          return stale.value;
        }
        return failure;
      });
    }
  }

  /** One cached read; throws the client-facing error when nothing can be served. */
  async read<T>(key: string, fetch: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const [result] = await this.readMany<T>([key], async (_keys, signal) => new Map([[key, await fetch(signal)]]));
    if (result instanceof Error) throw result;
    return result as T;
  }

  /** An uncached call through breaker, quota, retry (when idempotent) and timeout. */
  async call<T>(call: (signal: AbortSignal) => Promise<T>, options: { idempotent: boolean }): Promise<T> {
    try {
      const value = await this.resilience.execute(call, options);
      this.health.reportUp();
      return value;
    } catch (error) {
      if (error instanceof UpstreamError) {
        if (error.isOutage) this.health.reportDown();
        metrics.countFailure(this.api, error.failure);
        logger.warn('upstream call failed', { api: this.api, failure: error.failure, status: error.status ?? null, error: error.message });
        this.#options.onFailure?.(error);
      }
      throw error;
    }
  }

  /**
   * A health check that bypasses breaker and retries (it must see a recovery while the
   * circuit is open): success closes the circuit and reports up, an outage reports down.
   */
  async probe(check: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    try {
      await check(AbortSignal.timeout(this.#options.policy.timeoutMs));
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.isOutage) this.health.reportDown();
      throw error;
    }
    this.resilience.closeCircuit();
    this.health.reportUp();
  }

  /** Stores a value fetched by another call (a list page primes its entities). */
  async prime<T>(key: string, value: T): Promise<void> {
    const { policy, cache } = this.#options;
    await cache.set(this.cacheKey(key), value, policy.cacheTtlMs + policy.staleTtlMs);
  }

  async invalidate(key: string): Promise<void> {
    await this.#options.cache.delete(this.cacheKey(key));
  }

  /** API name, credential scope and request; never the caller. */
  cacheKey(key: string): string {
    return `${this.api}:${this.#options.credentialScope}:${key}`;
  }
}
