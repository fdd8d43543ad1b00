import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { loadOrCreateSigningKey, signingKeyPath } from '../sandbox/identity-provider/keys.ts';
import { mintToken } from '../sandbox/identity-provider/mint.ts';
import { startIdentityProvider, type RunningIdentityProvider } from '../sandbox/identity-provider/server.ts';
import { removeDir } from './support/temp-dir.ts';

const AUDIENCE = 'federated-api';
let dataDir: string;
let idp: RunningIdentityProvider;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'idp-test-'));
  idp = await startIdentityProvider({ port: 0, dataDir, audience: AUDIENCE, tokenTtlSeconds: 600 });
});

afterAll(async () => {
  await idp.close();
  await removeDir(dataDir);
});

async function devToken(body: unknown): Promise<Response> {
  return fetch(`${idp.url}/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('identity provider', () => {
  it('publishes discovery with its own URL as issuer when none is given', async () => {
    const discovery = await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json();
    expect(idp.issuer).toBe(idp.url);
    expect(discovery).toEqual({
      issuer: idp.url,
      jwks_uri: `${idp.url}/.well-known/jwks.json`,
      token_endpoint: `${idp.url}/token`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('publishes only the public key in its JWKS', async () => {
    const { keys } = (await (await fetch(`${idp.url}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(Object.keys(keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('mints tokens that verify against the remote JWKS', async () => {
    const response = await devToken({ role: 'ANALYST' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });

    const discovery = (await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(body.access_token, jwks, { issuer: discovery.issuer, audience: AUDIENCE });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'dev-analyst', roles: ['ANALYST'], scope: 'plants:read payments:read email:read analytics:read banking:read' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);
    await expect(jwtVerify(body.access_token, jwks, { issuer: discovery.issuer, audience: 'someone-else' })).rejects.toThrow();
  });

  it('takes a subject', async () => {
    const { access_token } = (await (await devToken({ role: 'ADMIN', subject: 'alice' })).json()) as { access_token: string };
    const jwks = createRemoteJWKSet(new URL(`${idp.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(access_token, jwks, { issuer: idp.issuer, audience: AUDIENCE });
    expect(payload.sub).toBe('alice');
    expect(String(payload.scope).split(' ')).toContain('pii:read');
  });

  it('rejects unknown roles, listing the valid ones', async () => {
    const response = await devToken({ role: 'SUPERUSER' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('SUPERUSER');
    expect(error.message).toContain('VIEWER, ANALYST, OPERATOR, AUDITOR, ADMIN');
    expect((await devToken({})).status).toBe(400);
    const key = await loadOrCreateSigningKey(dataDir);
    await expect(mintToken({ key, issuer: 'x', audience: 'y', role: 'viewer', ttlSeconds: 60 })).rejects.toThrow(/valid roles are VIEWER/);
  });
});

describe('signing key', () => {
  it('is stored privately and survives restarts', async () => {
    const file = signingKeyPath(dataDir);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = await readFile(file, 'utf8');

    const { access_token } = (await (await devToken({ role: 'VIEWER' })).json()) as { access_token: string };
    const restarted = await startIdentityProvider({ port: 0, dataDir, issuer: idp.issuer, audience: AUDIENCE, tokenTtlSeconds: 600 });
    try {
      // A token from before the restart verifies against the restarted provider's keys.
      const jwks = createRemoteJWKSet(new URL(`${restarted.url}/.well-known/jwks.json`));
      await expect(jwtVerify(access_token, jwks, { issuer: idp.issuer, audience: AUDIENCE })).resolves.toBeDefined();
      const { keys } = (await (await fetch(`${restarted.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
      expect(keys[0]?.kid).toBe(decodeProtectedHeader(access_token).kid);
    } finally {
      await restarted.close();
    }
    expect(await readFile(file, 'utf8')).toBe(stored);
  });

  it('is made fresh in a new data folder', async () => {
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'idp-test-'));
    try {
      const [first, again] = [await loadOrCreateSigningKey(otherDir), await loadOrCreateSigningKey(otherDir)];
      const original = await loadOrCreateSigningKey(dataDir);
      expect(again.kid).toBe(first.kid);
      expect(first.kid).not.toBe(original.kid);
    } finally {
      await removeDir(otherDir);
    }
  });
});
