/**
 * The credential the comparison gateways present to our subgraphs, which accept only the
 * gateway's internal token (kit/internal-token.ts): for each request, the caller's bearer
 * token is read (not verified: a plain gateway only forwards it) and the same internal
 * token our gateway would sign for that caller is signed with the shared secret, so the
 * subgraphs do the same work whichever gateway calls them.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Settings } from '../config/settings.ts';
import { bearerToken, callerOf } from '../kit/auth.ts';
import { internalTokens } from '../kit/internal-token.ts';

/** The Authorization header for the subgraphs, from the caller's own (undefined: none to forward). */
export type SubgraphCredential = (callerAuthorization: string | null | undefined) => Promise<string | undefined>;

export function subgraphCredential(settings: Pick<Settings, 'internalToken' | 'limits'>): SubgraphCredential {
  const tokens = internalTokens(settings);
  return async (authorization) => {
    const token = bearerToken(authorization ?? undefined);
    if (token === 'missing' || token === 'malformed') return undefined;
    const caller = callerOf(decodeJwt(token), settings.limits.rate.defaultPlan);
    return `Bearer ${await tokens.sign(caller, randomUUID())}`;
  };
}
