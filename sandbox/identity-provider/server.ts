/**
 * A stand-in OIDC provider: discovery, a JWKS with the public signing key, and a dev-only
 * `POST /token` that mints a token for a role without any login.
 */
import { json, Router, type SandboxRequest, type SandboxResponse } from '../kit/router.ts';
import { startSandbox, type RunningSandbox } from '../kit/sandbox-server.ts';
import { loadOrCreateSigningKey, SIGNING_ALGORITHM, type SigningKey } from './keys.ts';
import { mintToken } from './mint.ts';

export interface IdentityProviderOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Holds the signing key (under identity/). */
  dataDir: string;
  /** Defaults to the provider's own URL. */
  issuer?: string;
  audience: string;
  tokenTtlSeconds: number;
}

export interface RunningIdentityProvider extends RunningSandbox {
  readonly issuer: string;
}

const DISCOVERY_PATH = '/.well-known/openid-configuration';
const JWKS_PATH = '/.well-known/jwks.json';
const TOKEN_PATH = '/token';

/** Starts the identity provider; the signing key is loaded from (or made in) `dataDir`. */
export async function startIdentityProvider(options: IdentityProviderOptions): Promise<RunningIdentityProvider> {
  const key = await loadOrCreateSigningKey(options.dataDir);
  // With port 0 the own URL is known only after listening; routes read it from here.
  let issuer = options.issuer?.replace(/\/+$/, '') ?? '';

  const routes = new Router()
    .on('GET', DISCOVERY_PATH, () =>
      json(200, {
        issuer,
        jwks_uri: `${issuer}${JWKS_PATH}`,
        token_endpoint: `${issuer}${TOKEN_PATH}`,
        id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
      }),
    )
    .on('GET', JWKS_PATH, () => json(200, { keys: [key.publicJwk] }))
    .on('POST', TOKEN_PATH, (request) => issueDevToken(request, key, issuer, options));

  const sandbox = await startSandbox({
    name: 'identity-provider',
    port: options.port,
    routes,
    ...(options.host !== undefined ? { host: options.host } : {}),
  });
  issuer ||= sandbox.url;
  return { ...sandbox, issuer };
}

async function issueDevToken(
  request: SandboxRequest,
  key: SigningKey,
  issuer: string,
  { audience, tokenTtlSeconds }: IdentityProviderOptions,
): Promise<SandboxResponse> {
  let input: { role?: unknown; subject?: unknown };
  try {
    input = JSON.parse(request.body || '{}') as typeof input;
  } catch {
    return badRequest('Body must be JSON like {"role":"VIEWER"}');
  }
  if (typeof input?.role !== 'string') return badRequest('Body must be JSON like {"role":"VIEWER"}');
  if (input.subject !== undefined && typeof input.subject !== 'string') return badRequest('subject must be a string');
  try {
    const accessToken = await mintToken({
      key,
      issuer,
      audience,
      role: input.role,
      ...(input.subject ? { subject: input.subject } : {}),
      ttlSeconds: tokenTtlSeconds,
    });
    return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: tokenTtlSeconds });
  } catch (error) {
    return badRequest(error instanceof Error ? error.message : String(error));
  }
}

function badRequest(message: string): SandboxResponse {
  return json(400, { error: { code: 'bad_request', message } });
}
