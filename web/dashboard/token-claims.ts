/**
 * What the page reads from an access token to decide which widgets to show: its roles and
 * expiry. The gateway checks the token for real; a widget the page shows in error is still
 * refused there.
 */
import { ROLE_SCOPES, isRole, type Role, type Scope } from '../../kit/roles.ts';

export interface TokenClaims {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly scopes: ReadonlySet<Scope>;
  /** ms since the epoch; undefined when the token does not say. */
  readonly expiresAt: number | undefined;
  /** An opaque token: nothing known, so every widget is tried. */
  readonly opaque: boolean;
}

export function readClaims(token: string): TokenClaims {
  const payload = decodePayload(token);
  if (!payload) return { subject: '', roles: [], scopes: new Set(), expiresAt: undefined, opaque: true };
  const roles = (Array.isArray(payload.roles) ? payload.roles : []).filter(isRole);
  const scopes = new Set<Scope>(roles.flatMap((role) => ROLE_SCOPES[role]));
  return {
    subject: typeof payload.sub === 'string' ? payload.sub : '',
    roles,
    scopes,
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
    opaque: false,
  };
}

/** Whether the widget needing this scope is worth showing. */
export function mayUse(claims: TokenClaims, scope: Scope): boolean {
  return claims.opaque || claims.scopes.has(scope);
}

function decodePayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const text = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const payload: unknown = JSON.parse(text);
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
