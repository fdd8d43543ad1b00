/**
 * The one way a request's bearer token is checked, on every entry point (gateway HTTP,
 * WebSocket and SSE, each subgraph): verify it, and when it is refused audit the refusal
 * (up to the address's cap, kit/refusals.ts) and say how to end the request: 401 with the
 * RFC 6750 challenge, or 429 past the cap.
 */
import type { GraphQLError } from 'graphql';
import type { Caller, RefusalReason, TokenVerifier } from './auth.ts';
import { rateLimited, unauthenticated } from './errors.ts';
import type { RefusalCap } from './refusals.ts';

/** What a caller is told about its refused token (never more). */
export const REFUSAL_MESSAGES: Record<RefusalReason, string> = {
  missing: 'A valid bearer token is required.',
  malformed: 'The Authorization header is not a bearer token.',
  invalid: 'The bearer token is not valid.',
  expired: 'The bearer token has expired.',
  'no-subject': 'The bearer token names no subject.',
  'too-long-lived': 'The bearer token lives longer than this service allows.',
};

export type Admission = { ok: true; caller: Caller } | { ok: false; reason: RefusalReason; overCap: boolean; error: GraphQLError };

export interface TokenGate {
  /** `action` names the entry point in the audit event (`query gateway`, `subscribe`, ...). */
  admit(request: { authorization: string | undefined; address: string; userAgent?: string | undefined }, action: string): Promise<Admission>;
}

export function tokenGate(options: { verifier: TokenVerifier; refusals: RefusalCap; service: string; refusalWindowMs: number }): TokenGate {
  const { verifier, refusals, service, refusalWindowMs } = options;
  return {
    async admit({ authorization, address, userAgent }, action) {
      const verdict = await verifier.verify(authorization);
      if (verdict.ok) return verdict;
      const details = { reason: verdict.reason, ...(userAgent ? { userAgent: userAgent.slice(0, 200) } : {}) };
      const withinCap = await refusals.refused(address, { type: 'AUTH_FAILURE', actor: 'anonymous', service, action, outcome: 'DENIED', details });
      return {
        ok: false,
        reason: verdict.reason,
        overCap: !withinCap,
        error: withinCap ? unauthenticated(REFUSAL_MESSAGES[verdict.reason], { presented: verdict.reason !== 'missing' }) : rateLimited(Math.ceil(refusalWindowMs / 1000)),
      };
    },
  };
}
