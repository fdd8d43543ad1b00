/**
 * The Google Analytics sandbox speaks the Data API: the official client (@google-analytics/data
 * in its REST mode, with google-auth-library's refresh-token grant) runs reports against it
 * unchanged, figures agree whichever dimensions group them, and errors use Google's
 * `{error:{code, message, status}}` (token endpoint: `{error}`), checked over raw HTTP too.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BetaAnalyticsDataClient, type protos } from '@google-analytics/data';
import { OAuth2Client } from 'google-auth-library';
import { startGoogleAnalytics } from '../sandbox/google-analytics/server.ts';
import { PAGES } from '../sandbox/google-analytics/traffic-data.ts';
import type { RunReportResponse } from '../sandbox/google-analytics/run-report.ts';
import type { RunningSandbox } from '../sandbox/kit/sandbox-server.ts';
import type { WireRunReportRequest, WireRunReportResponse } from '../subgraphs/analytics/report-wire.ts';

const PROPERTY = '250000001';
const CREDENTIALS = { clientId: 'ga-test-client', clientSecret: 'ga-test-secret', refreshToken: 'ga-test-refresh-token' };
const TOKEN_TTL_SECONDS = 60;
const WEEK_OF_JANUARY = { startDate: '2026-01-04', endDate: '2026-01-10' };

type V1beta = typeof protos.google.analytics.data.v1beta;
/**
 * Checked by tsc, not at run time: the sandbox's answers and the connector's requests fit the
 * official client's message types, and the connector reads what an answer holds.
 */
export const typesAgree = {
  sandboxAnswer: (response: RunReportResponse): Parameters<V1beta['RunReportResponse']['create']>[0] => response,
  connectorRequest: (request: WireRunReportRequest): Parameters<V1beta['RunReportRequest']['create']>[0] => request,
  connectorReads: (response: RunReportResponse): WireRunReportResponse => response,
};

let sandbox: RunningSandbox;
/** A second sandbox whose clock the tests move (token expiry, relative dates). */
let clocked: RunningSandbox;
let clock = Date.UTC(2026, 2, 15, 12, 0, 0);
let client: BetaAnalyticsDataClient;

type Row = { dimensionValues?: { value?: string | null }[] | null; metricValues?: { value?: string | null }[] | null };

function officialClient(url: string, refreshToken = CREDENTIALS.refreshToken): BetaAnalyticsDataClient {
  const { hostname, port } = new URL(url);
  const auth = new OAuth2Client({ clientId: CREDENTIALS.clientId, clientSecret: CREDENTIALS.clientSecret, endpoints: { oauth2TokenUrl: `${url}/token` } });
  auth.setCredentials({ refresh_token: refreshToken });
  return new BetaAnalyticsDataClient({ fallback: true, protocol: 'http', apiEndpoint: hostname, port: Number(port), authClient: auth });
}

const metric = (row: Row, i = 0) => Number(row.metricValues?.[i]?.value);
const dimension = (row: Row, i = 0) => String(row.dimensionValues?.[i]?.value);
const sum = (rows: readonly Row[], i = 0) => rows.reduce((total, row) => total + metric(row, i), 0);

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function accessToken(base: string, form: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: CREDENTIALS.clientId, client_secret: CREDENTIALS.clientSecret, refresh_token: CREDENTIALS.refreshToken, ...form }),
  });
  return { status: response.status, body: await response.json() };
}

async function report(base: string, body: unknown, token?: string) {
  const bearer = token ?? (await accessToken(base)).body.access_token;
  return post(base, `/v1beta/properties/${PROPERTY}:runReport`, body, { Authorization: `Bearer ${bearer}` });
}

beforeAll(async () => {
  sandbox = await startGoogleAnalytics({ port: 0, propertyId: PROPERTY, ...CREDENTIALS, tokenTtlSeconds: TOKEN_TTL_SECONDS });
  clocked = await startGoogleAnalytics({ port: 0, propertyId: PROPERTY, ...CREDENTIALS, tokenTtlSeconds: TOKEN_TTL_SECONDS, now: () => clock });
  client = officialClient(sandbox.url);
});

afterAll(async () => {
  await client.close();
  await Promise.all([sandbox.close(), clocked.close()]);
});

describe('Google Analytics sandbox with the official client', () => {
  it('runs a daily report: headers, YYYYMMDD dates in order, metric values as strings, metadata', async () => {
    const [response] = await client.runReport({
      property: `properties/${PROPERTY}`,
      dateRanges: [WEEK_OF_JANUARY],
      dimensions: [{ name: 'date' }],
      metrics: [{ name: 'sessions' }, { name: 'totalUsers' }, { name: 'screenPageViews' }, { name: 'bounceRate' }],
      orderBys: [{ dimension: { dimensionName: 'date' } }],
    });
    expect(response.kind).toBe('analyticsData#runReport');
    expect(response.dimensionHeaders?.map((header) => header.name)).toEqual(['date']);
    expect(response.metricHeaders?.map((header) => [header.name, header.type])).toEqual([
      ['sessions', 'TYPE_INTEGER'],
      ['totalUsers', 'TYPE_INTEGER'],
      ['screenPageViews', 'TYPE_INTEGER'],
      ['bounceRate', 'TYPE_FLOAT'],
    ]);
    const rows = response.rows ?? [];
    expect(rows.map((row) => dimension(row))).toEqual(['20260104', '20260105', '20260106', '20260107', '20260108', '20260109', '20260110']);
    expect(response.rowCount).toBe(7);
    expect(response.metadata).toMatchObject({ currencyCode: 'USD', timeZone: 'Etc/UTC' });
    for (const row of rows) {
      expect(row.metricValues?.every((value) => typeof value.value === 'string')).toBe(true);
      expect(metric(row, 1)).toBeLessThanOrEqual(metric(row, 0));
      expect(metric(row, 3)).toBeGreaterThan(0);
      expect(metric(row, 3)).toBeLessThan(1);
    }
  });

  it('gives the same figures on every call, and totals that agree however they are grouped', async () => {
    const run = (dimensions: string[]) =>
      client.runReport({ property: `properties/${PROPERTY}`, dateRanges: [WEEK_OF_JANUARY], dimensions: dimensions.map((name) => ({ name })), metrics: [{ name: 'sessions' }, { name: 'screenPageViews' }] });
    const [byDay] = await run(['date']);
    const [again] = await run(['date']);
    const [byPage] = await run(['pagePath', 'pageTitle']);
    const [whole] = await run([]);
    expect(again.rows).toEqual(byDay.rows);
    expect(byPage.rowCount).toBe(PAGES.length);
    expect(whole.rows).toHaveLength(1);
    for (const i of [0, 1]) {
      expect(sum(byDay.rows ?? [], i)).toBe(metric(whole.rows![0]!, i));
      expect(sum(byPage.rows ?? [], i)).toBe(metric(whole.rows![0]!, i));
    }
  });

  it('groups by year and GA week (Sunday first, January 1st in week 01) and by month', async () => {
    const range = { startDate: '2025-12-28', endDate: '2026-01-14' };
    const [weeks] = await client.runReport({
      property: `properties/${PROPERTY}`,
      dateRanges: [range],
      dimensions: [{ name: 'year' }, { name: 'week' }],
      metrics: [{ name: 'sessions' }],
      orderBys: [{ dimension: { dimensionName: 'year' } }, { dimension: { dimensionName: 'week' } }],
    });
    // 2025-12-28 is a Sunday in week 53 of 2025; 2026-01-01 is a Thursday, so week 01 of 2026 is 1-3 January.
    expect(weeks.rows?.map((row) => `${dimension(row, 0)}-${dimension(row, 1)}`)).toEqual(['2025-53', '2026-01', '2026-02', '2026-03']);
    const [days] = await client.runReport({ property: `properties/${PROPERTY}`, dateRanges: [range], dimensions: [{ name: 'date' }], metrics: [{ name: 'sessions' }] });
    const daysFrom = (first: string, last: string) => (days.rows ?? []).filter((row) => dimension(row) >= first && dimension(row) <= last);
    expect(metric(weeks.rows![2]!)).toBe(sum(daysFrom('20260104', '20260110')));
    expect(metric(weeks.rows![1]!)).toBe(sum(daysFrom('20260101', '20260103')));

    const [months] = await client.runReport({ property: `properties/${PROPERTY}`, dateRanges: [range], dimensions: [{ name: 'month' }], metrics: [{ name: 'sessions' }] });
    expect(months.rows?.map((row) => dimension(row))).toEqual(['12', '01']);
    expect(metric(months.rows![1]!)).toBe(sum(daysFrom('20260101', '20260114')));
  });

  it('orders pages by views and pages through them with limit and offset (int64 as strings on the wire)', async () => {
    const page = async (offset: number) => {
      const [response] = await client.runReport({
        property: `properties/${PROPERTY}`,
        dateRanges: [WEEK_OF_JANUARY],
        dimensions: [{ name: 'pagePath' }, { name: 'pageTitle' }],
        metrics: [{ name: 'screenPageViews' }],
        orderBys: [{ metric: { metricName: 'screenPageViews' }, desc: true }, { dimension: { dimensionName: 'pagePath' } }],
        limit: 10,
        offset,
      });
      return response;
    };
    const pages = [await page(0), await page(10), await page(20)];
    expect(pages.map((response) => response.rows?.length)).toEqual([10, 10, PAGES.length - 20]);
    expect(pages.every((response) => response.rowCount === PAGES.length)).toBe(true);
    const views = pages.flatMap((response) => (response.rows ?? []).map((row) => metric(row)));
    expect(views).toEqual([...views].sort((a, b) => b - a));
    expect(new Set(pages.flatMap((response) => (response.rows ?? []).map((row) => dimension(row)))).size).toBe(PAGES.length);
    expect(dimension(pages[0]!.rows![0]!)).toBe('/');
    // Past the last row: no rows, the count still told.
    const past = await page(100);
    expect(past.rows ?? []).toEqual([]);
    expect(past.rowCount).toBe(PAGES.length);
  });

  it('surfaces Google errors as the client knows them: PERMISSION_DENIED, INVALID_ARGUMENT, a refused refresh token', async () => {
    const base = { dateRanges: [WEEK_OF_JANUARY], metrics: [{ name: 'sessions' }] };
    await expect(client.runReport({ ...base, property: 'properties/999' })).rejects.toMatchObject({ code: 7, message: expect.stringContaining('sufficient permissions') });
    await expect(client.runReport({ ...base, property: `properties/${PROPERTY}`, dimensions: [{ name: 'city' }] })).rejects.toMatchObject({
      code: 3,
      message: expect.stringContaining('city is not a valid dimension'),
    });
    const refused = officialClient(sandbox.url, 'not-the-refresh-token');
    try {
      await expect(refused.runReport({ ...base, property: `properties/${PROPERTY}` })).rejects.toThrow(/invalid_grant/);
    } finally {
      await refused.close();
    }
  });
});

describe('Google Analytics sandbox over raw HTTP', () => {
  it('grants Bearer access tokens for the refresh token, and refuses others in OAuth2 format', async () => {
    const granted = await accessToken(sandbox.url);
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      expires_in: TOKEN_TTL_SECONDS,
      scope: 'https://www.googleapis.com/auth/analytics.readonly',
      token_type: 'Bearer',
    });
    expect(await accessToken(sandbox.url, { refresh_token: 'stolen' })).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } });
    expect(await accessToken(sandbox.url, { client_secret: 'wrong' })).toEqual({ status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } });
    expect((await accessToken(sandbox.url, { grant_type: 'client_credentials' })).body.error).toBe('unsupported_grant_type');
  });

  it('answers 401 UNAUTHENTICATED without a token, and once a token expires or is expired by the admin route', async () => {
    const body = { dateRanges: [WEEK_OF_JANUARY], metrics: [{ name: 'sessions' }] };
    const missing = await post(sandbox.url, `/v1beta/properties/${PROPERTY}:runReport`, body);
    expect(missing.status).toBe(401);
    expect(missing.body.error).toEqual({ code: 401, message: expect.stringContaining('invalid authentication credentials'), status: 'UNAUTHENTICATED' });

    const token = (await accessToken(clocked.url)).body.access_token as string;
    expect((await report(clocked.url, body, token)).status).toBe(200);
    clock += TOKEN_TTL_SECONDS * 1000 - 1;
    expect((await report(clocked.url, body, token)).status).toBe(200);
    clock += 1;
    expect((await report(clocked.url, body, token)).body.error.status).toBe('UNAUTHENTICATED');

    const fresh = (await accessToken(sandbox.url)).body.access_token as string;
    expect((await report(sandbox.url, body, fresh)).status).toBe(200);
    await fetch(`${sandbox.url}/__admin/expire-tokens`, { method: 'POST' });
    expect((await report(sandbox.url, body, fresh)).status).toBe(401);
  });

  it('reads relative dates in the property time zone (UTC)', async () => {
    clock = Date.UTC(2026, 2, 15, 23, 59, 0);
    const relative = await report(clocked.url, { dateRanges: [{ startDate: '7daysAgo', endDate: 'yesterday' }], dimensions: [{ name: 'date' }], metrics: [{ name: 'sessions' }], orderBys: [{ dimension: { dimensionName: 'date' } }] });
    expect(relative.body.rows.map((row: Row) => dimension(row))).toEqual(['20260308', '20260309', '20260310', '20260311', '20260312', '20260313', '20260314']);
    const today = await report(clocked.url, { dateRanges: [{ startDate: 'today', endDate: 'today' }], dimensions: [{ name: 'date' }], metrics: [{ name: 'sessions' }] });
    expect(today.body.rows.map((row: Row) => dimension(row))).toEqual(['20260315']);
  });

  it('refuses what the Data API refuses with 400 INVALID_ARGUMENT', async () => {
    const valid = { dateRanges: [WEEK_OF_JANUARY], dimensions: [{ name: 'date' }], metrics: [{ name: 'sessions' }] };
    const cases: [string, unknown, RegExp][] = [
      ['startDate after endDate', { ...valid, dateRanges: [{ startDate: '2026-02-01', endDate: '2026-01-01' }] }, /after endDate/],
      ['a day that does not exist', { ...valid, dateRanges: [{ startDate: '2026-02-30', endDate: '2026-03-01' }] }, /startDate/],
      ['no date range', { ...valid, dateRanges: [] }, /dateRanges/],
      ['an unknown metric', { ...valid, metrics: [{ name: 'revenue' }] }, /revenue is not a valid metric/],
      ['an unknown field', { ...valid, dimension: [{ name: 'date' }] }, /Unknown name "dimension"/],
      ['a negative limit', { ...valid, limit: -1 }, /limit/],
      ['a limit past 250000', { ...valid, limit: '250001' }, /limit/],
      ['an orderBy on a metric not requested', { ...valid, orderBys: [{ metric: { metricName: 'totalUsers' } }] }, /totalUsers/],
    ];
    for (const [name, body, message] of cases) {
      const { status, body: answer } = await report(sandbox.url, body);
      expect([name, status, answer.error.status]).toEqual([name, 400, 'INVALID_ARGUMENT']);
      expect(answer.error.code).toBe(400);
      expect(answer.error.message).toMatch(message);
    }
    const token = (await accessToken(sandbox.url)).body.access_token as string;
    const unknown = await post(sandbox.url, '/v1beta/properties/999:runReport', valid, { Authorization: `Bearer ${token}` });
    expect(unknown).toEqual({ status: 403, body: { error: { code: 403, message: expect.any(String), status: 'PERMISSION_DENIED' } } });
  });

  it('injected faults answer in Google format: 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE; stats count token requests', async () => {
    const body = { dateRanges: [WEEK_OF_JANUARY], metrics: [{ name: 'sessions' }] };
    const token = (await accessToken(sandbox.url)).body.access_token as string;
    const faulted = async (faults: Record<string, unknown>) => {
      await fetch(`${sandbox.url}/__admin/faults`, { method: 'POST', body: JSON.stringify(faults) });
      const { status, body: answer } = await report(sandbox.url, body, token);
      await fetch(`${sandbox.url}/__admin/reset`, { method: 'POST' });
      return [status, answer.error.code, answer.error.status];
    };
    expect(await faulted({ rateLimited: true })).toEqual([429, 429, 'RESOURCE_EXHAUSTED']);
    expect(await faulted({ errorRate: 1 })).toEqual([500, 500, 'INTERNAL']);
    expect(await faulted({ down: true })).toEqual([503, 503, 'UNAVAILABLE']);

    // A reset keeps issued tokens: the same token still reads.
    expect((await report(sandbox.url, body, token)).status).toBe(200);
    await accessToken(sandbox.url);
    expect(await (await fetch(`${sandbox.url}/__admin/stats`)).json()).toEqual({ requests: 2 });
  });
});
