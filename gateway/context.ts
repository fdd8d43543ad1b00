/** The gateway's per-request context. */
import type { Caller } from '../kit/auth.ts';

export type GatewayContext = {
  caller?: Caller;
  requestId?: string;
  /** The caller's rate-limit window, for the X-RateLimit-* headers. */
  rateLimit?: RateLimitState | undefined;
};

/** Where a caller stands in its rate-limit window (the X-RateLimit-* headers). */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
}
