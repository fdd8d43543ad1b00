/**
 * How an upstream failure is classified, in one place: which statuses are worth a retry
 * and which are final, with the reason for each.
 */
import { GraphQLError } from 'graphql';
import { upstreamError, upstreamTimeout, upstreamUnavailable } from '../../kit/errors.ts';

export type UpstreamFailure =
  /** Connection refused/reset, 503, open circuit: the API is not there. */
  | 'unavailable'
  /** No answer within the time budget. */
  | 'timeout'
  /** 429: the API throttles us. */
  | 'rate_limited'
  /** Our own outbound budget (quota, announced rate limit) is spent: nothing was sent. */
  | 'throttled'
  /** Our credentials were refused even after a refresh. */
  | 'unauthorized'
  /** The API says the thing does not exist. */
  | 'not_found'
  /** The API rejected our request (4xx): a bug or bad input, retrying will not help. */
  | 'rejected'
  /** The API failed (5xx other than 503). */
  | 'server_error';

/** Statuses retried for idempotent calls, and why. Everything else is final. */
export const RETRYABLE_STATUSES: ReadonlyMap<number, string> = new Map([
  [408, 'request timeout: the upstream gave up waiting, a new attempt may land'],
  [429, 'throttled: retry after the Retry-After it names'],
  [500, 'internal error: often transient on busy upstreams'],
  [502, 'bad gateway: a proxy in front of the upstream lost it, usually briefly'],
  [503, 'unavailable: overloaded or restarting'],
  [504, 'gateway timeout: as 502'],
]);

/** Failures that mean "the API is down" for the health signal and stale serving. */
const OUTAGE_FAILURES: ReadonlySet<UpstreamFailure> = new Set(['unavailable', 'timeout', 'server_error', 'rate_limited']);

export class UpstreamError extends Error {
  readonly api: string;
  readonly failure: UpstreamFailure;
  readonly status: number | undefined;
  /** From Retry-After, when the upstream named one. */
  readonly retryAfterMs: number | undefined;

  constructor(api: string, failure: UpstreamFailure, message: string, options: { status?: number; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'UpstreamError';
    this.api = api;
    this.failure = failure;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    if (this.failure === 'timeout' || this.failure === 'unavailable') return true;
    return this.status !== undefined && RETRYABLE_STATUSES.has(this.status);
  }

  /** True when the failure says the API is down rather than that the request was wrong. */
  get isOutage(): boolean {
    return OUTAGE_FAILURES.has(this.failure);
  }

  /**
   * Whether the failure counts towards opening the breaker: the API failing, not the API
   * throttling us (a 429 is about how much we ask, which one heavy caller can drive; backing
   * off by Retry-After and the quotas handle it, and the breaker stays for everyone else).
   */
  get tripsBreaker(): boolean {
    return this.isOutage && this.failure !== 'rate_limited';
  }

  /** When an expired cached answer beats an error: the API is down, or our budget for it is spent. */
  get servesStale(): boolean {
    return this.isOutage || this.failure === 'throttled';
  }
}

export function failureForStatus(status: number): UpstreamFailure {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'server_error';
  return 'rejected';
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The client-facing error for an upstream failure (no upstream detail leaks). */
export function toGraphQLError(error: unknown, api: string): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof UpstreamError) {
    if (error.failure === 'timeout') return upstreamTimeout(error.api);
    if (error.failure === 'unavailable' || error.failure === 'rate_limited' || error.failure === 'throttled') return upstreamUnavailable(error.api);
    return upstreamError(error.api);
  }
  return upstreamError(api);
}
