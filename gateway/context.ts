/** The gateway's per-request context. */
import type { Caller } from '../subgraphs/kit/auth.ts';

export type GatewayContext = {
  caller?: Caller;
  requestId?: string;
};
