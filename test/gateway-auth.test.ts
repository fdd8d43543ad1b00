/** Authentication at the gateway and again at each subgraph (zero trust). */
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadOrCreateSigningKey } from '../sandbox/identity-provider/keys.ts';
import { startTestStack, type TestStack } from './support/stack.ts';

const QUERY = `{ plantApiStatus { up } }`;

describe('authentication', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  async function signed(claims: { iss?: string; aud?: string; exp?: number; alg?: 'RS256' | 'HS256' }, ownKey = true): Promise<string> {
    const { kid, privateKey } = await loadOrCreateSigningKey(stack.dataDir);
    const foreign = await generateKeyPair('RS256');
    const jwt = new SignJWT({ roles: ['ADMIN'] })
      .setProtectedHeader({ alg: claims.alg ?? 'RS256', kid })
      .setIssuer(claims.iss ?? stack.settings.auth.issuer)
      .setAudience(claims.aud ?? stack.settings.auth.audience)
      .setSubject('someone')
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 300);
    if (claims.alg === 'HS256') return jwt.sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough-for-hs256'));
    return jwt.sign(ownKey ? privateKey : foreign.privateKey);
  }

  it('accepts a token from the identity provider', async () => {
    const { status, body } = await stack.query(QUERY, { token: await stack.token('VIEWER') });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it.each([
    ['no token', async () => undefined],
    ['a malformed token', async () => 'not.a.jwt'],
    ['an expired token', async () => signed({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['a token from another issuer', async () => signed({ iss: 'https://issuer.invalid' })],
    ['a token for another audience', async () => signed({ aud: 'another-api' })],
    ['a token signed by another key', async () => signed({}, false)],
    ['a token with an algorithm off the allow-list', async () => signed({ alg: 'HS256' })],
  ])('refuses %s with HTTP 401 and UNAUTHENTICATED', async (_case, make) => {
    const token = await make();
    const { status, body } = await stack.query(QUERY, token ? { token } : {});
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.data ?? null).toBeNull();
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.ts/);
  });

  it("has each subgraph accept only the gateway's internal token", async () => {
    const plants = stack.subgraphs.get('plants')!;
    const anonymous = await stack.query(QUERY, { url: plants.url });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const callersOwn = await stack.query(QUERY, { url: plants.url, token: await stack.token('VIEWER') });
    expect(callersOwn.status).toBe(401);
    const internal = await stack.query(QUERY, { url: plants.url, token: await stack.internalToken('VIEWER') });
    expect(internal.status).toBe(200);
  });

  it('serves Apollo Sandbox to a browser, which asks for its dev token rather than carrying one', async () => {
    const response = await fetch(stack.gateway!.url, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/embeddable-sandbox/);
    expect(html).toContain('/web/dev-token');
    expect(html).not.toMatch(/Bearer ey/);
  });

  it('hides internals of unexpected failures', async () => {
    const { status, body } = await stack.query('{ plantApiStatus { up } ', { token: await stack.token('VIEWER') });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(JSON.stringify(body)).not.toMatch(/stacktrace/);
  });
});
