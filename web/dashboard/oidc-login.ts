/**
 * The production sign-in: the deployment's OIDC provider, authorization code with PKCE
 * (oidc-client-ts). The provider redirects back to /dashboard with a code, which is traded
 * for tokens here; the access token is what the widgets send to the gateway. Tokens live in
 * sessionStorage (oidc-client-ts' default): gone with the tab.
 */
import { UserManager, type User } from 'oidc-client-ts';
import type { WebConfig } from '../shared/web-config.ts';

export interface OidcLogin {
  /** The signed-in user's access token, finishing a redirect back from the provider first. */
  currentToken(): Promise<string | undefined>;
  signIn(): Promise<void>;
  signOut(): Promise<void>;
  /** Called with each new access token (silent renewal) or undefined when it expires. */
  onChange(listener: (token: string | undefined) => void): () => void;
}

export function oidcLogin(config: NonNullable<WebConfig['oidc']>): OidcLogin {
  const redirectUri = new URL('/dashboard', location.href).href;
  const manager = new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: redirectUri,
    post_logout_redirect_uri: redirectUri,
    response_type: 'code',
    scope: config.scope,
    // Renews with the refresh token when the provider grants one (offline_access).
    automaticSilentRenew: true,
  });
  const usable = (user: User | null) => (user && !user.expired ? user.access_token : undefined);

  return {
    async currentToken() {
      const query = new URLSearchParams(location.search);
      if (query.has('code') && query.has('state')) {
        const user = await manager.signinCallback();
        // Leave no code in the address bar or the history.
        history.replaceState(null, '', redirectUri);
        if (user) return usable(user);
      }
      return usable(await manager.getUser());
    },
    signIn: () => manager.signinRedirect(),
    signOut: () => manager.signoutRedirect(),
    onChange(listener) {
      const loaded = (user: User) => listener(usable(user));
      const expired = () => listener(undefined);
      manager.events.addUserLoaded(loaded);
      manager.events.addAccessTokenExpired(expired);
      return () => {
        manager.events.removeUserLoaded(loaded);
        manager.events.removeAccessTokenExpired(expired);
      };
    },
  };
}
