/** The gateway's per-request context. */
import type { Caller } from '../kit/auth.ts';

export type GatewayContext = {
  caller?: Caller;
  requestId?: string;
  /** The caller's rate-limit window, for the X-RateLimit-* headers. */
  rateLimit?: RateLimitState | undefined;
  /** The internal token signed for this request's subgraph calls (subgraph-source.ts). */
  internalToken?: Promise<string>;
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
