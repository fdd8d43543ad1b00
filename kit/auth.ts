/**
 * Callers' bearer tokens, verified at the gateway against the issuer's JWKS: signature,
 * issuer, audience, expiry, an algorithm allow-list, a subject, and a lifetime no longer
 * than the deployment allows. Roles map to scopes through roles.ts; the plan (for rate
 * limits) comes from the token's `plan` claim. Subgraphs do not see these tokens: they
 * accept only the gateway's internal token (internal-token.ts).
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { PLAN_NAMES, type PlanName } from '../config/limits.ts';
import type { Settings } from '../config/settings.ts';
import { rememberingAccepted } from './verified-tokens.ts';
import { metrics } from './metrics.ts';
import { scopesFor, type Role, isRole, type Scope } from './roles.ts';

export interface Caller {
  /** Token subject; what audit events name as the actor. */
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly scopes: ReadonlySet<Scope>;
  /** The rate-limit plan the token names (or the deployment's default). */
  readonly plan: PlanName;
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number;
  /**
   * Other callers with the same roles this request answers for too (the gateway's grouped
   * alert fan-out, gateway/subscriptions/fan-out-groups.ts): what it audits is audited as
   * each of them as well (request-audit.ts). Only the gateway's internal token carries it.
   */
  readonly alsoFor?: readonly Recipient[];
}

/** A caller a shared request answers for: its subject, and its own request id for the audit trail. */
export interface Recipient {
  readonly subject: string;
  readonly requestId: string;
}

export const REFUSAL_REASONS = ['missing', 'malformed', 'invalid', 'expired', 'no-subject', 'too-long-lived'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type TokenVerdict = { ok: true; caller: Caller } | { ok: false; reason: RefusalReason };

export interface TokenVerifier {
  /** Verifies an Authorization header value (`Bearer <jwt>`). Never throws. */
  verify(authorization: string | undefined): Promise<TokenVerdict>;
}

/** The bearer token of an Authorization header, or why there is none. */
export function bearerToken(authorization: string | undefined): string | 'missing' | 'malformed' {
  if (!authorization) return 'missing';
  const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization.trim());
  return match?.[1] ?? 'malformed';
}

export function createTokenVerifier(auth: Settings['auth'], defaultPlan: PlanName): TokenVerifier {
  // jose caches the key set and refetches it on an unknown kid (key rotation), with a cooldown.
  const keys = createRemoteJWKSet(new URL(auth.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
  // A signature checked once holds for a minute: a key withdrawn from the identity
  // provider's set stops tokens it signed within that minute, not at their expiry only later.
  return counted(rememberingAccepted({
    async verify(authorization) {
      const token = bearerToken(authorization);
      if (token === 'missing' || token === 'malformed') return { ok: false, reason: token };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: auth.issuer,
          audience: auth.audience,
          algorithms: [...auth.algorithms],
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        const code = (error as { code?: string }).code;
        return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
      }
      if (typeof payload.sub !== 'string' || payload.sub.trim() === '') return { ok: false, reason: 'no-subject' };
      // A token that outlives the allowed lifetime is a stolen token's best friend.
      const issuedAt = payload.iat ?? Math.floor(Date.now() / 1000);
      if ((payload.exp ?? 0) - issuedAt > auth.maxTokenLifetimeSeconds) return { ok: false, reason: 'too-long-lived' };
      return { ok: true, caller: callerOf(payload, defaultPlan) };
    },
  }, { forMs: CALLER_TOKEN_REMEMBERED_MS }));
}

/** How long an accepted caller token is taken without checking its signature again. */
export const CALLER_TOKEN_REMEMBERED_MS = 60_000;

/** Every verdict counts in auth_requests_total / auth_failures_total of the service checking. */
export function counted(verifier: TokenVerifier): TokenVerifier {
  return {
    async verify(authorization) {
      const verdict = await verifier.verify(authorization);
      metrics.countAuth(verdict);
      return verdict;
    },
  };
}

/** The caller a verified token describes. */
export function callerOf(payload: JWTPayload, defaultPlan: PlanName): Caller {
  const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
  const plan = (PLAN_NAMES as readonly unknown[]).includes(payload.plan) ? (payload.plan as PlanName) : defaultPlan;
  return { subject: String(payload.sub), roles, scopes: scopesFor(roles), plan, expiresAt: payload.exp ?? 0 };
}

export function hasScope(caller: Caller | undefined, scope: Scope): boolean {
  return caller?.scopes.has(scope) ?? false;
}
