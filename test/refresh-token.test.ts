/**
 * The kit's OAuth2 refresh-token grant against the Google Analytics sandbox's token
 * endpoint, on a clock the test moves: one token request however many calls wait for it,
 * a new token shortly before the old one expires, and one refresh (never more) on a 401.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGoogleAnalytics } from '../sandbox/google-analytics/server.ts';
import type { RunningSandbox } from '../sandbox/kit/sandbox-server.ts';
import { createHttpClient } from '../subgraphs/kit/http-client.ts';
import { refreshToken } from '../subgraphs/kit/refresh-token.ts';
import { UpstreamError } from '../subgraphs/kit/upstream-error.ts';

const PROPERTY = '250000001';
const CREDENTIALS = { clientId: 'kit-test-client', clientSecret: 'kit-test-secret', refreshToken: 'kit-test-refresh-token' };
const TTL_SECONDS = 600;
const REPORT = { dateRanges: [{ startDate: '2026-01-01', endDate: '2026-01-01' }], metrics: [{ name: 'sessions' }] };

let clock = Date.UTC(2026, 0, 1);
const now = () => clock;
let sandbox: RunningSandbox;
/** Grants tokens that are expired the moment they are issued. */
let expiring: RunningSandbox;

const requests = async (target: RunningSandbox) => ((await (await fetch(`${target.url}/__admin/stats`)).json()) as { requests: number }).requests;
const reset = (target: RunningSandbox) => fetch(`${target.url}/__admin/reset`, { method: 'POST' });

function grant(target: RunningSandbox, overrides: Partial<typeof CREDENTIALS> = {}) {
  return refreshToken({ api: 'google-analytics', tokenUrl: `${target.url}/token`, ...CREDENTIALS, ...overrides, timeoutMs: 1000, now });
}

function reportClient(target: RunningSandbox) {
  return createHttpClient({ api: 'google-analytics', baseUrl: target.url, timeoutMs: 1000, auth: grant(target) });
}

beforeAll(async () => {
  sandbox = await startGoogleAnalytics({ port: 0, propertyId: PROPERTY, ...CREDENTIALS, tokenTtlSeconds: TTL_SECONDS, now });
  expiring = await startGoogleAnalytics({ port: 0, propertyId: PROPERTY, ...CREDENTIALS, tokenTtlSeconds: 0, now });
});

afterAll(async () => {
  await Promise.all([sandbox.close(), expiring.close()]);
});

describe('refresh-token grant', () => {
  it('asks the token endpoint once for concurrent calls, then reuses the token', async () => {
    await reset(sandbox);
    const auth = grant(sandbox);
    const headers = await Promise.all(Array.from({ length: 5 }, () => auth.headers()));
    expect(new Set(headers.map((h) => h.Authorization)).size).toBe(1);
    expect(headers[0]!.Authorization).toMatch(/^Bearer ya29\./);
    await auth.headers();
    expect(await requests(sandbox)).toBe(1);
  });

  it('takes a new token 30 s before the old one expires, while the old one is still good', async () => {
    await reset(sandbox);
    const auth = grant(sandbox);
    const http = createHttpClient({ api: 'google-analytics', baseUrl: sandbox.url, timeoutMs: 1000, auth });
    const first = (await auth.headers()).Authorization;
    clock += (TTL_SECONDS - 30) * 1000 - 1;
    expect((await auth.headers()).Authorization).toBe(first);
    clock += 1;
    const second = (await auth.headers()).Authorization;
    expect(second).not.toBe(first);
    expect(await requests(sandbox)).toBe(2);
    // The old token had not expired yet: renewing did not wait for a 401.
    const stillGood = await fetch(`${sandbox.url}/v1beta/properties/${PROPERTY}:runReport`, { method: 'POST', headers: { Authorization: first, 'Content-Type': 'application/json' }, body: JSON.stringify(REPORT) });
    expect(stillGood.status).toBe(200);
    const { status } = await http.request({ method: 'POST', path: `/v1beta/properties/${PROPERTY}:runReport`, json: REPORT });
    expect(status).toBe(200);
  });

  it('refreshes once on a 401 and the call succeeds', async () => {
    const http = reportClient(sandbox);
    await http.request({ method: 'POST', path: `/v1beta/properties/${PROPERTY}:runReport`, json: REPORT });
    await fetch(`${sandbox.url}/__admin/expire-tokens`, { method: 'POST' });
    await reset(sandbox);
    const { status } = await http.request({ method: 'POST', path: `/v1beta/properties/${PROPERTY}:runReport`, json: REPORT });
    expect(status).toBe(200);
    // The refused call, one token request, the call again.
    expect(await requests(sandbox)).toBe(3);
  });

  it('refreshes only once: a second 401 is an unauthorized failure, not a loop', async () => {
    await reset(expiring);
    const failure = await reportClient(expiring)
      .request({ method: 'POST', path: `/v1beta/properties/${PROPERTY}:runReport`, json: REPORT })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({ failure: 'unauthorized', status: 401 });
    expect(await requests(expiring)).toBe(4);
  });

  it('a refused refresh token is an unauthorized failure', async () => {
    const failure = await grant(sandbox, { refreshToken: 'revoked' })
      .headers()
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'UpstreamError', failure: 'unauthorized', status: 400 });
  });
});
