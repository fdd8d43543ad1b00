/**
 * Resilience figures for one upstream API (ARCHITECTURE.md, "Seed figures"), each
 * overridable as `<API>_<FIGURE>` (PLANT_API_CACHE_TTL_MS, STRIPE_QUOTA_PER_MINUTE, ...).
 */
import type { EnvReader } from './read-env.ts';

export interface UpstreamPolicy {
  /** Fresh lifetime of a cached answer. */
  readonly cacheTtlMs: number;
  /** How long an expired answer is kept to be served stale while the upstream is down. */
  readonly staleTtlMs: number;
  readonly timeoutMs: number;
  readonly retryAttempts: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly breakerFailures: number;
  readonly breakerHalfOpenAfterMs: number;
  /** Outbound requests a minute towards the upstream (0: unlimited). */
  readonly quotaPerMinute: number;
  /** The quota's window: a minute, shorter only in tests. */
  readonly quotaWindowMs: number;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

const DEFAULT_POLICY: UpstreamPolicy = {
  cacheTtlMs: 60 * SECOND,
  staleTtlMs: 24 * 60 * MINUTE,
  timeoutMs: 1000,
  retryAttempts: 3,
  retryInitialDelayMs: 1000,
  retryMaxDelayMs: 5000,
  breakerFailures: 5,
  breakerHalfOpenAfterMs: 60 * SECOND,
  quotaPerMinute: 0,
  quotaWindowMs: MINUTE,
};

/** The policy of the API whose settings start with `prefix`, from the API's own defaults. */
export function readPolicy(env: EnvReader, prefix: string, defaults: Partial<UpstreamPolicy>): UpstreamPolicy {
  const base = { ...DEFAULT_POLICY, ...defaults };
  return {
    cacheTtlMs: env.int(`${prefix}_CACHE_TTL_MS`, base.cacheTtlMs, { min: 0 }),
    staleTtlMs: env.int(`${prefix}_STALE_TTL_MS`, base.staleTtlMs, { min: 0 }),
    timeoutMs: env.int(`${prefix}_TIMEOUT_MS`, base.timeoutMs, { min: 1 }),
    retryAttempts: env.int(`${prefix}_RETRY_ATTEMPTS`, base.retryAttempts, { min: 1, max: 10 }),
    retryInitialDelayMs: env.int(`${prefix}_RETRY_INITIAL_DELAY_MS`, base.retryInitialDelayMs, { min: 0 }),
    retryMaxDelayMs: env.int(`${prefix}_RETRY_MAX_DELAY_MS`, base.retryMaxDelayMs, { min: 0 }),
    breakerFailures: env.int(`${prefix}_BREAKER_FAILURES`, base.breakerFailures, { min: 1 }),
    breakerHalfOpenAfterMs: env.int(`${prefix}_BREAKER_HALF_OPEN_AFTER_MS`, base.breakerHalfOpenAfterMs, { min: 1 }),
    quotaPerMinute: env.int(`${prefix}_QUOTA_PER_MINUTE`, base.quotaPerMinute, { min: 0 }),
    quotaWindowMs: env.int(`${prefix}_QUOTA_WINDOW_MS`, base.quotaWindowMs, { min: 100 }),
  };
}
