/** The gateway's per-request context. */
import type { Caller } from '../subgraphs/kit/auth.ts';
import type { RateLimitState } from './rate-limit.ts';

export type GatewayContext = {
  caller?: Caller;
  requestId?: string;
  /** The caller's rate-limit window, for the X-RateLimit-* headers. */
  rateLimit?: RateLimitState | undefined;
};
