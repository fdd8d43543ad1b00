/**
 * Bearer-token verification shared by the gateway and every subgraph (zero trust: each
 * verifies again). Tokens are checked against the issuer's JWKS for signature, issuer,
 * audience, expiry and an algorithm allow-list; roles map to scopes through roles.ts.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Settings } from '../config/settings.ts';
import { metrics } from './metrics.ts';
import { scopesFor, type Role, isRole, type Scope } from './roles.ts';

export interface Caller {
  /** Token subject; what audit events name as the actor. */
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly scopes: ReadonlySet<Scope>;
  /** The raw bearer token, forwarded to subgraphs; never logged. */
  readonly token: string;
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number;
}

export type TokenVerdict = { ok: true; caller: Caller } | { ok: false; reason: 'missing' | 'malformed' | 'invalid' | 'expired' };

export interface TokenVerifier {
  /** Verifies an Authorization header value (`Bearer <jwt>`). Never throws. */
  verify(authorization: string | undefined): Promise<TokenVerdict>;
}

export function createTokenVerifier(auth: Settings['auth']): TokenVerifier {
  // jose caches the key set and refetches it on an unknown kid (key rotation), with a cooldown.
  const keys = createRemoteJWKSet(new URL(auth.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
  return counted({
    async verify(authorization) {
      if (!authorization) return { ok: false, reason: 'missing' };
      const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization.trim());
      if (!match?.[1]) return { ok: false, reason: 'malformed' };
      const token = match[1];
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: auth.issuer,
          audience: auth.audience,
          algorithms: [...auth.algorithms],
          requiredClaims: ['sub', 'exp'],
        });
        return { ok: true, caller: toCaller(payload, token) };
      } catch (error) {
        const code = (error as { code?: string }).code;
        return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
      }
    },
  });
}

/** Every verdict counts in auth_requests_total / auth_failures_total of the service checking. */
function counted(verifier: TokenVerifier): TokenVerifier {
  return {
    async verify(authorization) {
      const verdict = await verifier.verify(authorization);
      metrics.countAuth(verdict);
      return verdict;
    },
  };
}

function toCaller(payload: JWTPayload, token: string): Caller {
  const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
  return {
    subject: String(payload.sub),
    roles,
    scopes: scopesFor(roles),
    token,
    expiresAt: payload.exp ?? 0,
  };
}

export function hasScope(caller: Caller | undefined, scope: Scope): boolean {
  return caller?.scopes.has(scope) ?? false;
}
