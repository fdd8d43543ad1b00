/**
 * OAuth2 client-credentials tokens towards an upstream: fetched once, shared by concurrent
 * calls, refreshed shortly before expiry, and dropped when the upstream answers 401. The
 * token endpoint part serves other grants too (refresh-token.ts).
 */
import type { Dispatcher } from 'undici-types';
import { failureForStatus, parseRetryAfter, UpstreamError } from './upstream-error.ts';

export interface UpstreamAuth {
  /** Headers that authenticate one request. */
  headers(): Promise<Record<string, string>>;
  /** Called on a 401; true when a retry with fresh credentials is worth it. */
  invalidate(): boolean;
}

export interface ClientCredentialsOptions {
  api: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  timeoutMs: number;
  /** mTLS agent for upstreams that need a client certificate. */
  dispatcher?: Dispatcher;
  /** Refresh this long before expiry, or at 90 % of the lifetime for short-lived tokens. */
  refreshMarginMs?: number;
}

export function clientCredentials(options: ClientCredentialsOptions): UpstreamAuth {
  const { clientId, clientSecret, scope, ...endpoint } = options;
  const form: Record<string, string> = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
  if (scope) form.scope = scope;
  return tokenEndpointAuth({ ...endpoint, form });
}

/** Where and how an OAuth2 grant gets its access tokens (any grant type). */
export interface TokenEndpointOptions {
  api: string;
  tokenUrl: string;
  /** The grant's form fields: grant_type and the credentials it takes. */
  form: Readonly<Record<string, string>>;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Refresh this long before expiry, or at 90 % of the lifetime for short-lived tokens. @default 30_000 */
  refreshMarginMs?: number;
  /** The clock; injected by tests that move time. @default Date.now */
  now?: () => number;
}

interface Held {
  token: string;
  refreshAt: number;
}

/**
 * Bearer access tokens from an OAuth2 token endpoint: one token request shared by
 * concurrent calls, the token reused until shortly before it expires, dropped on a 401.
 */
export function tokenEndpointAuth(options: TokenEndpointOptions): UpstreamAuth {
  const { refreshMarginMs = 30_000, now = Date.now } = options;
  let held: Held | undefined;
  let pending: Promise<Held> | undefined;

  async function fetchToken(): Promise<Held> {
    let response: Response;
    try {
      response = await fetch(options.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams(options.form as Record<string, string>),
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      } as RequestInit);
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new UpstreamError(options.api, timedOut ? 'timeout' : 'unavailable', `token request failed: ${(error as Error).message}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      // A refused grant is our credentials' fault; anything else is classified like any answer (a 429 is throttling).
      const failure = response.status === 401 || response.status === 400 ? 'unauthorized' : failureForStatus(response.status);
      throw new UpstreamError(options.api, failure, `token request answered ${response.status}`, { status: response.status, ...retryAfterOf(response) });
    }
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new UpstreamError(options.api, 'server_error', 'token response without access_token');
    const lifetimeMs = (body.expires_in ?? 300) * 1000;
    const margin = Math.min(refreshMarginMs, lifetimeMs * 0.1);
    return { token: body.access_token, refreshAt: now() + lifetimeMs - margin };
  }

  async function current(): Promise<string> {
    if (held && now() < held.refreshAt) return held.token;
    // One token request at a time, however many calls need it.
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    held = await pending;
    return held.token;
  }

  return {
    async headers() {
      return { Authorization: `Bearer ${await current()}` };
    },
    invalidate() {
      held = undefined;
      return true;
    },
  };
}

/** A fixed bearer key (Stripe secret key, SendGrid API key). */
export function bearerKey(key: string): UpstreamAuth {
  return {
    headers: async () => ({ Authorization: `Bearer ${key}` }),
    invalidate: () => false,
  };
}

/** A fixed key in a header of its own (`X-API-Key: <key>`). */
export function apiKeyHeader(header: string, key: string): UpstreamAuth {
  return {
    headers: async () => ({ [header]: key }),
    invalidate: () => false,
  };
}

function retryAfterOf(response: Response): { retryAfterMs?: number } {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  return retryAfterMs === undefined ? {} : { retryAfterMs };
}
