/**
 * A minimal OIDC provider for the production sign-in test: discovery, an authorization
 * endpoint that signs anyone in at once, and a token endpoint that checks the PKCE verifier
 * against the challenge before handing out the access token it is given. CORS is open, as a
 * real provider's is for a registered single-page client.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';

export interface FakeOidcProvider {
  readonly url: string;
  /** The query of every authorization request. */
  readonly authorizations: URLSearchParams[];
  /** Every code exchange, and whether its code_verifier matched the challenge. */
  readonly exchanges: { clientId: string | null; redirectUri: string | null; verified: boolean }[];
  close(): Promise<void>;
}

const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': 'GET, POST' };

export async function startFakeOidcProvider(options: { accessToken: () => Promise<string> }): Promise<FakeOidcProvider> {
  const authorizations: URLSearchParams[] = [];
  const exchanges: FakeOidcProvider['exchanges'] = [];
  const issued = new Map<string, { challenge: string; clientId: string; redirectUri: string }>();
  const idTokenKey = new TextEncoder().encode(randomUUID());
  let url = '';

  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', url);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...CORS });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      res.end();
    } else if (target.pathname === '/.well-known/openid-configuration') {
      json(200, {
        issuer: url,
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
        jwks_uri: `${url}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
    } else if (target.pathname === '/authorize') {
      const query = target.searchParams;
      authorizations.push(query);
      const code = randomUUID();
      issued.set(code, { challenge: query.get('code_challenge') ?? '', clientId: query.get('client_id') ?? '', redirectUri: query.get('redirect_uri') ?? '' });
      const back = new URL(query.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', query.get('state') ?? '');
      res.writeHead(302, { Location: back.href });
      res.end();
    } else if (target.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        void (async () => {
          const form = new URLSearchParams(body);
          const grant = issued.get(form.get('code') ?? '');
          issued.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const verified = !!grant && createHash('sha256').update(verifier).digest('base64url') === grant.challenge;
          exchanges.push({ clientId: form.get('client_id'), redirectUri: form.get('redirect_uri'), verified });
          if (!grant || !verified || form.get('client_id') !== grant.clientId || form.get('redirect_uri') !== grant.redirectUri) {
            return json(400, { error: 'invalid_grant' });
          }
          const idToken = await new SignJWT({})
            .setProtectedHeader({ alg: 'HS256' })
            .setIssuer(url)
            .setAudience(grant.clientId)
            .setSubject('signed-in-admin')
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(idTokenKey);
          json(200, { access_token: await options.accessToken(), id_token: idToken, token_type: 'Bearer', expires_in: 300, scope: form.get('scope') ?? 'openid profile' });
        })();
      });
    } else {
      json(404, { error: 'not_found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    authorizations,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
