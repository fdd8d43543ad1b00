/**
 * One token check per request per service: a subgraph called several times for one gateway
 * request (one internal token) verifies that token once; refusals are checked every time;
 * a remembered token stops being accepted when it expires, or after the bound it is
 * remembered for (the gateway's caller tokens: a minute).
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { CALLER_TOKEN_REMEMBERED_MS, createTokenVerifier, type TokenVerdict, type TokenVerifier } from '../kit/auth.ts';
import { loadOrCreateSigningKey } from '../sandbox/identity-provider/keys.ts';
import { mintToken } from '../sandbox/identity-provider/mint.ts';
import { startIdentityProvider } from '../sandbox/identity-provider/server.ts';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removeDir } from './support/temp-dir.ts';
import { internalTokens } from '../kit/internal-token.ts';
import { scopesFor } from '../kit/roles.ts';
import { rememberingAccepted } from '../kit/verified-tokens.ts';
import { loadSettings } from '../config/settings.ts';

function countingVerifier(verdict: (authorization: string | undefined) => TokenVerdict): TokenVerifier & { calls: number } {
  const counting = {
    calls: 0,
    async verify(authorization: string | undefined) {
      counting.calls += 1;
      return verdict(authorization);
    },
  };
  return counting;
}

const caller = (expiresAt: number) => ({ subject: 'viewer-1', roles: ['VIEWER' as const], scopes: scopesFor(['VIEWER']), plan: 'basic' as const, expiresAt });

describe('remembered token verdicts', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('checks an accepted token once, a refused one every time', async () => {
    const inner = countingVerifier((authorization) => (authorization === 'Bearer good' ? { ok: true, caller: caller(Math.floor(Date.now() / 1000) + 60) } : { ok: false, reason: 'invalid' }));
    const verifier = rememberingAccepted(inner);
    const first = await verifier.verify('Bearer good');
    const second = await verifier.verify('Bearer good');
    expect(second).toBe(first);
    expect(inner.calls).toBe(1);
    await verifier.verify('Bearer bad');
    expect((await verifier.verify('Bearer bad')).ok).toBe(false);
    expect(inner.calls).toBe(3);
  });

  it('checks again once the token has expired, and forgets the oldest past its bound', async () => {
    const inner = countingVerifier(() => ({ ok: true, caller: caller(Math.floor(Date.now() / 1000)) }));
    const verifier = rememberingAccepted(inner, { max: 1 });
    await verifier.verify('Bearer a');
    await verifier.verify('Bearer a');
    expect(inner.calls).toBe(2);
    const fresh = rememberingAccepted(countingVerifier((authorization) => ({ ok: true, caller: caller(Math.floor(Date.now() / 1000) + 60 + (authorization?.length ?? 0)) })), { max: 1 });
    const a = await fresh.verify('Bearer a');
    await fresh.verify('Bearer bb');
    expect(await fresh.verify('Bearer a')).not.toBe(a);
  });

  it('is what a subgraph uses for the gateway’s internal token', async () => {
    const tokens = internalTokens(loadSettings({}));
    const token = await tokens.sign(caller(0), 'request-1');
    const first = await tokens.verifier.verify(`Bearer ${token}`);
    expect(first.ok).toBe(true);
    expect(await tokens.verifier.verify(`Bearer ${token}`)).toBe(first);
    expect((await tokens.verifier.verify(`Bearer ${token}x`)).ok).toBe(false);
  });

  it('takes an accepted token for `forMs` at most, then checks it again', async () => {
    const inner = countingVerifier(() => ({ ok: true, caller: caller(Math.floor(Date.now() / 1000) + 3600) }));
    const verifier = rememberingAccepted(inner, { forMs: 60_000 });
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
    await verifier.verify('Bearer a');
    clock.mockReturnValue(start + 59_999);
    await verifier.verify('Bearer a');
    expect(inner.calls).toBe(1);
    clock.mockReturnValue(start + 60_000);
    await verifier.verify('Bearer a');
    expect(inner.calls).toBe(2);
  });

  it('checks a caller token’s signature at the gateway once a minute, not on every request', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-remembered-'));
    const idp = await startIdentityProvider({ port: 0, dataDir, audience: 'remembered', tokenTtlSeconds: 600 });
    try {
      const settings = loadSettings({ NODE_ENV: 'test' });
      const auth = { ...settings.auth, jwksUrl: `${idp.url}/.well-known/jwks.json`, issuer: idp.issuer, audience: 'remembered' };
      const verifier = createTokenVerifier(auth, 'basic');
      const key = await loadOrCreateSigningKey(dataDir);
      const token = await mintToken({ key, issuer: idp.issuer, audience: 'remembered', role: 'VIEWER', subject: 'viewer-remembered', ttlSeconds: 600 });
      const first = await verifier.verify(`Bearer ${token}`);
      expect(first.ok).toBe(true);
      expect(await verifier.verify(`Bearer ${token}`)).toBe(first);
      const start = Date.now();
      jest.spyOn(Date, 'now').mockReturnValue(start + CALLER_TOKEN_REMEMBERED_MS + 1);
      const again = await verifier.verify(`Bearer ${token}`);
      expect(again.ok).toBe(true);
      expect(again).not.toBe(first);
    } finally {
      jest.restoreAllMocks();
      await idp.close();
      await removeDir(dataDir);
    }
  });
});
