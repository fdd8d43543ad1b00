/**
 * Google's OAuth2 token endpoint as the sandbox plays it: `POST /token` trades the refresh
 * token of one client for short-lived opaque access tokens, which the API routes check.
 * `POST /__admin/expire-tokens` makes every issued token expire at once (tests of the 401 path).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { json, type Router, type SandboxRequest, type SandboxResponse } from '../kit/router.ts';
import { googleError } from './errors.ts';

/** The scope a Data API refresh token is granted for. */
export const ANALYTICS_READONLY_SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';

export interface RefreshTokenIssuerOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Lifetime of access tokens (Google's are 3599 s). */
  tokenTtlSeconds: number;
  /** The clock; injected by tests that move time. */
  now?: () => number;
}

export class RefreshTokenIssuer {
  readonly #tokens = new Map<string, number>();
  readonly #options: RefreshTokenIssuerOptions;

  constructor(options: RefreshTokenIssuerOptions) {
    this.#options = options;
  }

  /** Adds `POST /token` and `POST /__admin/expire-tokens` to a router. */
  mount(router: Router): Router {
    return router
      .on('POST', '/token', (request) => this.#issue(request))
      .on('POST', '/__admin/expire-tokens', () => {
        for (const token of this.#tokens.keys()) this.#tokens.set(token, this.#now());
        return json(200, { ok: true });
      });
  }

  /** Undefined when the request carries a live access token, else the 401 to send. */
  check(request: SandboxRequest): SandboxResponse | undefined {
    const header = String(request.headers.authorization ?? '');
    const token = /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] ?? '';
    const expiresAt = this.#tokens.get(token);
    if (expiresAt === undefined || expiresAt <= this.#now()) {
      return googleError(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    return undefined;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  #issue(request: SandboxRequest): SandboxResponse {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'refresh_token') {
      return json(400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.get('grant_type') ?? ''}` });
    }
    if (!sameSecret(form.get('client_id') ?? '', this.#options.clientId) || !sameSecret(form.get('client_secret') ?? '', this.#options.clientSecret)) {
      return json(401, { error: 'invalid_client', error_description: 'Unauthorized' });
    }
    if (!sameSecret(form.get('refresh_token') ?? '', this.#options.refreshToken)) {
      return json(400, { error: 'invalid_grant', error_description: 'Bad Request' });
    }
    const token = `ya29.sandbox-${randomBytes(24).toString('base64url')}`;
    const ttl = this.#options.tokenTtlSeconds;
    this.#tokens.set(token, this.#now() + ttl * 1000);
    return json(200, { access_token: token, expires_in: ttl, scope: ANALYTICS_READONLY_SCOPE, token_type: 'Bearer' });
  }
}

/** Compares digests in constant time, so neither content nor length leaks. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return presented !== '' && timingSafeEqual(digest(presented), digest(expected));
}
