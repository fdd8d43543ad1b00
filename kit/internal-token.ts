/**
 * The credential between the gateway and the subgraphs: for each request it forwards, the
 * gateway signs a short-lived token (HS256, INTERNAL_TOKEN_SECRET) naming the caller's
 * subject, roles and plan and the request id. Subgraphs accept only these, so limits,
 * trusted documents and cost checks at the gateway cannot be bypassed by calling a
 * subgraph directly; and checking one HMAC replaces a JWKS check per subgraph.
 */
import { jwtVerify, SignJWT } from 'jose';
import type { Settings } from '../config/settings.ts';
import { bearerToken, callerOf, counted, type Caller, type Recipient, type TokenVerifier } from './auth.ts';
import { rememberingAccepted } from './verified-tokens.ts';

const ISSUER = 'gateway';
const AUDIENCE = 'subgraphs';
const ALGORITHM = 'HS256';

export interface InternalTokens {
  /** A token for one request made on behalf of this caller. */
  sign(caller: Caller, requestId: string): Promise<string>;
  /** Verifies an Authorization header carrying one. Never throws. */
  readonly verifier: TokenVerifier;
}

export function internalTokens(settings: Pick<Settings, 'internalToken' | 'limits'>): InternalTokens {
  const key = new TextEncoder().encode(settings.internalToken.secret);
  const { ttlSeconds } = settings.internalToken;
  return {
    sign: (caller, requestId) =>
      new SignJWT({ roles: [...caller.roles], plan: caller.plan, rid: requestId, ...(caller.alsoFor?.length ? { for: caller.alsoFor.map((r) => [r.subject, r.requestId]) } : {}) })
        .setProtectedHeader({ alg: ALGORITHM })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(caller.subject)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key),
    // Each verdict counted, a token accepted before answered from memory (verified-tokens.ts).
    verifier: counted(rememberingAccepted({
      async verify(authorization) {
        const token = bearerToken(authorization);
        if (token === 'missing' || token === 'malformed') return { ok: false, reason: token };
        try {
          const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALGORITHM], requiredClaims: ['sub', 'exp'] });
          return { ok: true, caller: withRecipients(callerOf(payload, settings.limits.rate.defaultPlan), payload.for) };
        } catch (error) {
          return { ok: false, reason: (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
        }
      },
    })),
  };
}

/** The `for` claim (the other recipients of a grouped request), read from the gateway's own token only. */
function withRecipients(caller: Caller, claim: unknown): Caller {
  if (!Array.isArray(claim)) return caller;
  const alsoFor: Recipient[] = claim
    .filter((pair): pair is [string, string] => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string')
    .map(([subject, requestId]) => ({ subject, requestId }));
  return alsoFor.length > 0 ? { ...caller, alsoFor } : caller;
}
