/**
 * Where the dashboard's token comes from. Outside production (when the gateway offers dev
 * tokens): a role switch, each role's token minted by the sandbox identity provider and
 * renewed before it expires. Otherwise: the deployment's OIDC login.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ROLES, type Role } from '../../kit/roles.ts';
import { fetchDevToken } from '../shared/dev-token.ts';
import type { WebConfig } from '../shared/web-config.ts';
import { oidcLogin, type OidcLogin } from './oidc-login.ts';
import { readClaims, type TokenClaims } from './token-claims.ts';

export type Session =
  | { readonly kind: 'starting' }
  | { readonly kind: 'signed-out'; readonly reason: string; signIn?: () => void }
  | { readonly kind: 'signed-in'; readonly token: string; readonly claims: TokenClaims; readonly source: 'dev' | 'oidc'; signOut?: () => void };

export interface RoleSwitch {
  readonly roles: readonly Role[];
  readonly role: Role;
  choose(role: Role): void;
}

const ROLE_KEY = 'dashboard.role';
/** Renew a dev token this long before it expires. */
const RENEW_BEFORE_MS = 60_000;

export function useSession(config: WebConfig): { session: Session; roleSwitch: RoleSwitch | undefined } {
  const [role, setRole] = useState<Role>(() => initialRole());
  const [session, setSession] = useState<Session>({ kind: 'starting' });
  const login = useMemo<OidcLogin | undefined>(() => (!config.devTokens && config.oidc ? oidcLogin(config.oidc) : undefined), [config]);

  useEffect(() => {
    if (!config.devTokens) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const mint = () =>
      fetchDevToken(role)
        .then((dev) => {
          if (cancelled) return;
          setSession({ kind: 'signed-in', token: dev.accessToken, claims: readClaims(dev.accessToken), source: 'dev' });
          timer = setTimeout(mint, Math.max(5_000, dev.expiresAt - Date.now() - RENEW_BEFORE_MS));
        })
        .catch((error: unknown) => {
          if (!cancelled) setSession({ kind: 'signed-out', reason: error instanceof Error ? error.message : String(error) });
        });
    void mint();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [config, role]);

  useEffect(() => {
    if (config.devTokens) return;
    if (!login) {
      setSession({ kind: 'signed-out', reason: 'No sign-in is configured for this deployment (DASHBOARD_OIDC_CLIENT_ID).' });
      return;
    }
    const signIn = () => void login.signIn();
    const signOut = () => void login.signOut();
    const show = (token: string | undefined) =>
      setSession(token ? { kind: 'signed-in', token, claims: readClaims(token), source: 'oidc', signOut } : { kind: 'signed-out', reason: 'Sign in to see the dashboard.', signIn });
    login
      .currentToken()
      .then(show)
      .catch((error: unknown) => setSession({ kind: 'signed-out', reason: `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`, signIn }));
    return login.onChange(show);
  }, [config, login]);

  const choose = useCallback((next: Role) => {
    localStorage.setItem(ROLE_KEY, next);
    setSession({ kind: 'starting' });
    setRole(next);
  }, []);
  const roleSwitch = config.devTokens ? { roles: ROLES, role, choose } : undefined;
  return { session, roleSwitch };
}

/** The role from ?role= (handy for links and tests), else the last one chosen, else VIEWER. */
function initialRole(): Role {
  const asked = new URLSearchParams(location.search).get('role') ?? localStorage.getItem(ROLE_KEY);
  return (ROLES as readonly string[]).includes(asked ?? '') ? (asked as Role) : 'VIEWER';
}
