/**
 * OAuth2 refresh-token grant towards an upstream (Google APIs): a long-lived refresh token
 * the account owner granted once is traded for short-lived access tokens, shared by
 * concurrent calls, renewed shortly before expiry and once when the upstream answers 401.
 */
import type { Dispatcher } from 'undici-types';
import { tokenEndpointAuth, type UpstreamAuth } from './client-credentials.ts';

export interface RefreshTokenOptions {
  api: string;
  /** The token endpoint (Google's is https://oauth2.googleapis.com/token). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Refresh this long before expiry, or at 90 % of the lifetime for short-lived tokens. @default 30_000 */
  refreshMarginMs?: number;
  /** The clock; injected by tests that move time. @default Date.now */
  now?: () => number;
}

export function refreshToken(options: RefreshTokenOptions): UpstreamAuth {
  const { clientId, clientSecret, refreshToken: token, ...endpoint } = options;
  return tokenEndpointAuth({
    ...endpoint,
    form: { grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: token },
  });
}
