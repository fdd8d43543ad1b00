/** The gateway's per-request context. */
import type { Caller } from '../kit/auth.ts';
import type { Contributions } from './response-cache/contributions.ts';

export type GatewayContext = {
  caller?: Caller;
  requestId?: string;
  /** The caller's rate-limit window, for the X-RateLimit-* headers. */
  rateLimit?: RateLimitState | undefined;
  /** The internal token signed for this request's subgraph calls (subgraph-source.ts). */
  internalToken?: Promise<string>;
  /** What the subgraphs reported for the response cache, set while a cacheable query runs (subgraph-source.ts fills it). */
  contributions?: Contributions;
};

/** Where a caller stands in its rate-limit window (the X-RateLimit-* headers). */
export interface RateLimitState {
  /** The plan's requests an hour. */
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
  /** The plan's burst window. */
  burst?: { limit: number; remaining: number; reset: number };
}
