/**
 * OAuth2 client-credentials issuing for sandbox APIs: `POST /oauth/token` with a form body,
 * opaque bearer tokens with an expiry, and a check for the API's own routes.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { json, type Router, type SandboxRequest, type SandboxResponse } from './router.ts';

export interface ClientCredentialsOptions {
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  /** Injected for tests that move time. */
  now?: () => number;
}

export class ClientCredentialsIssuer {
  readonly #tokens = new Map<string, number>();
  readonly #options: ClientCredentialsOptions;

  constructor(options: ClientCredentialsOptions) {
    this.#options = options;
  }

  /** Adds `POST /oauth/token` and `POST /__admin/revoke-tokens` to a router. */
  mount(router: Router): Router {
    return router
      .on('POST', '/oauth/token', (request) => this.#issue(request))
      .on('POST', '/__admin/revoke-tokens', () => {
        this.#tokens.clear();
        return json(200, { ok: true });
      });
  }

  /** Undefined when the request carries a live token, else the 401 to send. */
  check(request: SandboxRequest): SandboxResponse | undefined {
    const header = String(request.headers.authorization ?? '');
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const expiresAt = this.#tokens.get(token);
    if (expiresAt === undefined || expiresAt <= this.#now()) {
      return json(401, { error: { code: 'invalid_token', message: 'Missing, unknown or expired access token' } });
    }
    return undefined;
  }

  reset(): void {
    this.#tokens.clear();
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  #issue(request: SandboxRequest): SandboxResponse {
    const form = new URLSearchParams(request.body);
    const basic = parseBasic(String(request.headers.authorization ?? ''));
    const clientId = form.get('client_id') ?? basic?.id ?? '';
    const clientSecret = form.get('client_secret') ?? basic?.secret ?? '';
    if (form.get('grant_type') !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
    }
    if (!sameText(clientId, this.#options.clientId) || !sameText(clientSecret, this.#options.clientSecret)) {
      return json(401, { error: 'invalid_client', error_description: 'Unknown client or bad secret' });
    }
    const token = randomBytes(24).toString('base64url');
    const ttl = this.#options.tokenTtlSeconds;
    this.#tokens.set(token, this.#now() + ttl * 1000);
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: form.get('scope') ?? '' });
  }
}

function parseBasic(header: string): { id: string; secret: string } | undefined {
  if (!header.startsWith('Basic ')) return undefined;
  const [id = '', secret = ''] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
