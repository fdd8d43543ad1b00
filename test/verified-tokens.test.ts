/**
 * One token check per request per service: a subgraph called several times for one gateway
 * request (one internal token) verifies that token once; refusals are checked every time;
 * a remembered token stops being accepted when it expires.
 */
import { describe, expect, it } from '@jest/globals';
import type { TokenVerdict, TokenVerifier } from '../kit/auth.ts';
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
    const verifier = rememberingAccepted(inner, 1);
    await verifier.verify('Bearer a');
    await verifier.verify('Bearer a');
    expect(inner.calls).toBe(2);
    const fresh = rememberingAccepted(countingVerifier((authorization) => ({ ok: true, caller: caller(Math.floor(Date.now() / 1000) + 60 + (authorization?.length ?? 0)) })), 1);
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
});
