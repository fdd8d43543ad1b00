/**
 * The upstream call pipeline of ARCHITECTURE.md below the DataLoaders:
 * cache (fresh hit) -> breaker -> quota -> retry -> timeout -> HTTP, then store; on an
 * outage, an expired cached answer is served stale and the health signal drops.
 *
 * Built from the upstream's policy, it brings everything an upstream needs by itself: its
 * outbound quota (shared through Redis when configured), breaker, retries, cache keys and
 * the audit of its failures and health transitions.
 */
import type { Settings } from '../../config/settings.ts';
import type { UpstreamPolicy } from '../../config/upstream-policy.ts';
import type { EntryCache } from './cache.ts';
import type { AuditSink } from './context.ts';
import { UpstreamHealth } from '../../kit/health.ts';
import { logFailure, logger } from '../../kit/logger.ts';
import { metrics } from '../../kit/metrics.ts';
import { currentScope } from '../../kit/service-scope.ts';
import { allQuotas, createQuota, type OutboundQuota } from './quota.ts';
import { createResilience, type Delay, type Resilience } from './resilience.ts';
import { auditUpstreamFailure, auditUpstreamHealth } from './upstream-audit.ts';
import { toGraphQLError, UpstreamError } from './upstream-error.ts';
import { watchUpstream } from './upstream-watch.ts';

export interface UpstreamOptions {
  /** API name, used in cache keys, metrics, errors and audit events. */
  api: string;
  /** Which credentials the answers were fetched with; part of every cache key. */
  credentialScope: string;
  policy: UpstreamPolicy;
  cache: EntryCache;
  /** Where the outbound quota is counted: Redis (shared by replicas) when configured. */
  shared: Pick<Settings, 'redisUrl' | 'keyPrefix'>;
  /** Waited for before the policy's own quota: a window the upstream announces itself. */
  gate?: OutboundQuota | undefined;
  /** Failures and health transitions are audited as `system:<service>`. */
  audit?: { sink: AuditSink; service: string };
}

/**
 * Work a fetch hands over to run once its call has succeeded, outside the call's timeout
 * and retries (priming other cache entries, comparing statuses): a slow cache must never
 * look like a slow upstream.
 */
export type AfterCall = (work: () => Promise<unknown> | unknown) => void;

/** Fetches the values for keys that were not fresh in the cache; absent keys mean "not found". */
export type BatchFetch<T> = (keys: readonly string[], signal: AbortSignal, after: AfterCall) => Promise<ReadonlyMap<string, T>>;

type Outcome<T> = { fetched: ReadonlyMap<string, T> } | { failure: unknown } | { stale: true };

export class Upstream {
  readonly api: string;
  readonly health = new UpstreamHealth();
  readonly resilience: Resilience;
  readonly #options: UpstreamOptions;
  /** Refreshes still retrying behind a stale answer, by the keys they fetch: later readers join them. */
  readonly #refreshing = new Map<string, Promise<ReadonlyMap<string, unknown>>>();
  readonly #auditFailure: ((error: UpstreamError) => void) | undefined;

  constructor(options: UpstreamOptions) {
    this.#options = options;
    this.api = options.api;
    const { policy, shared } = options;
    const quota = createQuota({ api: options.api, perMinute: policy.quotaPerMinute, windowMs: policy.quotaWindowMs, redisUrl: shared.redisUrl, keyPrefix: shared.keyPrefix });
    this.resilience = createResilience(options.api, policy, allQuotas(options.gate, quota));
    this.resilience.onBreakerChange((state) => {
      if (state === 'open') this.health.reportDown();
    });
    if (options.audit) auditUpstreamHealth(this.health, options.api, options.audit.sink, options.audit.service);
    this.#auditFailure = options.audit && auditUpstreamFailure(options.audit.sink, options.audit.service);
    watchUpstream(this);
  }

  /**
   * Cached reads of many keys with one upstream call for all that are not fresh.
   * Returns, per key in order, the value, null when the upstream does not know it, or an
   * Error (client-facing) when it failed and nothing was cached. When every key that is not
   * fresh has an expired answer kept, the first failed attempt (or a wait for our own quota)
   * serves those at once, marked stale, while the call keeps retrying behind them.
   */
  async readMany<T>(keys: readonly string[], fetch: BatchFetch<T>): Promise<(T | null | Error)[]> {
    const { policy, cache } = this.#options;
    const cacheKeys = keys.map((key) => this.cacheKey(key));
    const now = Date.now();
    const keepFor = policy.cacheTtlMs + policy.staleTtlMs;
    // Past fresh and stale lifetime an entry is gone, whatever the store still holds.
    const entries = (await cache.getMany<T | null>(cacheKeys)).map((entry) => (entry && now - entry.storedAt < keepFor ? entry : undefined));
    const results: (T | null | Error | undefined)[] = entries.map((entry) => (entry && now - entry.storedAt < policy.cacheTtlMs ? entry.value : undefined));
    const missing = keys.filter((_, i) => results[i] === undefined);
    metrics.countCache(this.api, keys.length - missing.length, missing.length);
    if (missing.length === 0) return results as (T | null)[];

    const staleAtHand = keys.every((_, i) => results[i] !== undefined || entries[i] !== undefined);
    const outcome = await this.#refresh(missing, fetch, staleAtHand);
    if ('fetched' in outcome) {
      return keys.map((key, i) => (results[i] !== undefined ? results[i] : (outcome.fetched.get(key) ?? null))) as (T | null)[];
    }
    const served = 'stale' in outcome || (outcome.failure instanceof UpstreamError && outcome.failure.servesStale);
    const failure = 'failure' in outcome ? toGraphQLError(outcome.failure, this.api) : undefined;
    return keys.map((_, i) => {
      const value = results[i];
      if (value !== undefined) return value;
      const stale = entries[i];
      if (served && stale) {
        metrics.countStale(this.api);
        const request = currentScope()?.request;
        if (request) request.access.staleServed = true;
        return stale.value;
      }
      return failure ?? toGraphQLError(undefined, this.api);
    });
  }

  /** One cached read; throws the client-facing error when nothing can be served. */
  async read<T>(key: string, fetch: (signal: AbortSignal, after: AfterCall) => Promise<T>): Promise<T> {
    const [result] = await this.readMany<T>([key], async (_keys, signal, after) => new Map([[key, await fetch(signal, after)]]));
    if (result instanceof Error) throw result;
    return result as T;
  }

  /**
   * Fetches and stores the missing keys. With stale answers at hand, resolves `{stale}` as
   * soon as the answer is going to be late (a failed attempt, a quota wait); the fetch goes
   * on behind and stores what it gets.
   */
  async #refresh<T>(missing: readonly string[], fetch: BatchFetch<T>, staleAtHand: boolean): Promise<Outcome<T>> {
    const id = missing.join('\n');
    const joined = this.#refreshing.get(id) as Promise<ReadonlyMap<string, T>> | undefined;
    if (joined && staleAtHand) return { stale: true };
    let late: ((value: Outcome<T>) => void) | undefined;
    const startedAt = new Date();
    const servedLate = new Promise<Outcome<T>>((resolve) => (late = resolve));
    const onDelayed = (delay: Delay) => {
      if (!staleAtHand) return;
      // The first request to find the API down carries the banner, and the alert goes out now.
      if (delay instanceof UpstreamError && delay.isOutage) this.health.reportDown(startedAt);
      if (delay === 'quota' || delay.servesStale) late?.({ stale: true });
    };
    const running = joined ?? this.#fetchAndStore(missing, fetch, onDelayed);
    if (!joined && staleAtHand) {
      this.#refreshing.set(id, running);
      void running.catch(() => undefined).finally(() => this.#refreshing.delete(id));
    }
    return Promise.race([running.then((fetched) => ({ fetched }), (failure: unknown) => ({ failure })), servedLate]);
  }

  async #fetchAndStore<T>(missing: readonly string[], fetch: BatchFetch<T>, onDelayed: (delay: Delay) => void): Promise<ReadonlyMap<string, T>> {
    const { policy, cache } = this.#options;
    let work: (() => Promise<unknown> | unknown)[] = [];
    const fetched = await this.call(
      async (signal) => {
        const mine: typeof work = [];
        const answer = await fetch(missing, signal, (task) => void mine.push(task));
        work = mine;
        return answer;
      },
      { idempotent: true, onDelayed },
    );
    const keepFor = policy.cacheTtlMs + policy.staleTtlMs;
    await Promise.all([
      // Nothing to keep (no fresh and no stale lifetime): a store's TTL of 0 would mean "for ever".
      ...(keepFor > 0 ? missing.map((key) => cache.set(this.cacheKey(key), fetched.get(key) ?? null, keepFor)) : []),
      ...work.map((task) => Promise.resolve().then(task).catch(logFailure(`${this.api}: work after a call failed`))),
    ]);
    return fetched;
  }

  /** An uncached call through breaker, quota, retry (when idempotent) and timeout. */
  async call<T>(call: (signal: AbortSignal) => Promise<T>, options: { idempotent: boolean; onDelayed?: (delay: Delay) => void }): Promise<T> {
    const startedAt = new Date();
    try {
      const value = await this.resilience.execute(call, options);
      this.health.reportUp(startedAt);
      return value;
    } catch (error) {
      if (error instanceof UpstreamError) {
        if (error.isOutage) this.health.reportDown(startedAt);
        metrics.countFailure(this.api, error.failure);
        logger.warn('upstream call failed', { api: this.api, failure: error.failure, status: error.status ?? null, error: error.message });
        this.#auditFailure?.(error);
      }
      throw error;
    }
  }

  /**
   * A health check that bypasses breaker and retries (it must see a recovery while the
   * circuit is open): success closes the circuit and reports up, an outage reports down.
   */
  async probe(check: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    const startedAt = new Date();
    try {
      await check(AbortSignal.timeout(this.#options.policy.timeoutMs));
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.isOutage) this.health.reportDown(startedAt);
      throw error;
    }
    this.resilience.closeCircuit();
    this.health.reportUp(startedAt);
  }

  /** Stores a value fetched by another call (a list page primes its entities). */
  async prime<T>(key: string, value: T): Promise<void> {
    const { policy, cache } = this.#options;
    const keepFor = policy.cacheTtlMs + policy.staleTtlMs;
    if (keepFor > 0) await cache.set(this.cacheKey(key), value, keepFor);
  }

  async invalidate(key: string): Promise<void> {
    await this.#options.cache.delete(this.cacheKey(key));
  }

  /** API name, credential scope and request; never the caller. */
  cacheKey(key: string): string {
    return `${this.api}:${this.#options.credentialScope}:${key}`;
  }
}
