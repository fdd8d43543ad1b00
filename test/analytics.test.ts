/** The analytics subgraph through the gateway against the Google Analytics sandbox. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readReportRequest } from '../sandbox/google-analytics/report-request.ts';
import { runReport } from '../sandbox/google-analytics/run-report.ts';
import { PAGES } from '../sandbox/google-analytics/traffic-data.ts';
import type { Role } from '../kit/roles.ts';
import { sandboxRequests, setFaults, startTestStack, type TestStack } from './support/stack.ts';

const TRAFFIC = `query ($from: Date!, $to: Date!, $by: TrafficPeriod) { webTraffic(from: $from, to: $to, by: $by) { date sessions users pageViews bounceRate } }`;
const PAGES_QUERY = `query ($from: Date!, $to: Date!, $first: Int, $after: String) {
  topPages(from: $from, to: $to, first: $first, after: $after) { totalCount edges { cursor node { path title views } } pageInfo { hasNextPage endCursor } }
}`;

interface Bucket {
  date: string;
  sessions: number;
  users: number;
  pageViews: number;
  bounceRate: number;
}
interface PagesConnection {
  totalCount: number;
  edges: { cursor: string; node: { path: string; title: string; views: number } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** What the sandbox holds for a report, computed without it. */
function expected(body: object) {
  return runReport('250000001', readReportRequest(JSON.stringify(body), Date.now()));
}

describe('analytics through the gateway', () => {
  let stack: TestStack;
  let viewer: string;
  /** A range never asked for before, so the cache cannot answer. */
  let day = 1;
  const fresh = () => ({ from: '2026-04-01', to: `2026-04-${String(day++).padStart(2, '0')}` });
  const requests = () => sandboxRequests(stack.googleAnalytics.url);

  beforeAll(async () => {
    stack = await startTestStack({
      // The quota has a test of its own; here it would only slow the other tests down.
      env: { GOOGLE_ANALYTICS_QUOTA_PER_MINUTE: '0', GOOGLE_ANALYTICS_RETRY_INITIAL_DELAY_MS: '5', GOOGLE_ANALYTICS_RETRY_MAX_DELAY_MS: '20', GOOGLE_ANALYTICS_BREAKER_FAILURES: '100' },
    });
    viewer = await stack.token('VIEWER');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('serves daily traffic mapped from GA4 rows, then from the cache', async () => {
    await stack.resetSandboxes();
    const variables = { from: '2026-01-04', to: '2026-01-10' };
    const { body } = await stack.query<{ webTraffic: Bucket[] }>(TRAFFIC, { token: viewer, variables });
    expect(body.errors).toBeUndefined();
    const truth = expected({
      dateRanges: [{ startDate: variables.from, endDate: variables.to }],
      dimensions: [{ name: 'date' }],
      metrics: [{ name: 'sessions' }, { name: 'totalUsers' }, { name: 'screenPageViews' }, { name: 'bounceRate' }],
    });
    expect(body.data!.webTraffic).toEqual(
      truth.rows!.map((row) => ({
        date: `${row.dimensionValues[0]!.value.slice(0, 4)}-${row.dimensionValues[0]!.value.slice(4, 6)}-${row.dimensionValues[0]!.value.slice(6)}`,
        sessions: Number(row.metricValues[0]!.value),
        users: Number(row.metricValues[1]!.value),
        pageViews: Number(row.metricValues[2]!.value),
        bounceRate: Number(row.metricValues[3]!.value),
      })),
    );
    const before = await requests();
    const again = await stack.query<{ webTraffic: Bucket[] }>(TRAFFIC, { token: viewer, variables });
    expect(again.body.data).toEqual(body.data);
    expect(await requests()).toBe(before);
  });

  it('buckets weeks as GA4 counts them (Sunday first, January 1st opens week 1) and months, dated by their first day in the range', async () => {
    const weeks = await stack.query<{ webTraffic: Bucket[] }>(TRAFFIC, { token: viewer, variables: { from: '2025-12-30', to: '2026-01-14', by: 'WEEK' } });
    expect(weeks.body.errors).toBeUndefined();
    expect(weeks.body.data!.webTraffic.map((bucket) => bucket.date)).toEqual(['2025-12-30', '2026-01-01', '2026-01-04', '2026-01-11']);
    const days = await stack.query<{ webTraffic: Bucket[] }>(TRAFFIC, { token: viewer, variables: { from: '2026-01-04', to: '2026-01-10' } });
    const week = weeks.body.data!.webTraffic[2]!;
    const sum = (field: 'sessions' | 'pageViews') => days.body.data!.webTraffic.reduce((total, bucket) => total + bucket[field], 0);
    expect([week.sessions, week.pageViews]).toEqual([sum('sessions'), sum('pageViews')]);
    // Users are distinct over the bucket, so fewer than the days' users added up.
    expect(week.users).toBeLessThan(days.body.data!.webTraffic.reduce((total, bucket) => total + bucket.users, 0));

    const months = await stack.query<{ webTraffic: Bucket[] }>(TRAFFIC, { token: viewer, variables: { from: '2025-11-15', to: '2026-02-02', by: 'MONTH' } });
    expect(months.body.data!.webTraffic.map((bucket) => bucket.date)).toEqual(['2025-11-15', '2025-12-01', '2026-01-01', '2026-02-01']);
  });

  it('costs one upstream call for the same report asked twice in one query', async () => {
    const variables = fresh();
    const before = await requests();
    const { body } = await stack.query<{ a: Bucket[]; b: Bucket[] }>(
      `query ($from: Date!, $to: Date!) { a: webTraffic(from: $from, to: $to) { date sessions } b: webTraffic(from: $from, to: $to) { date sessions } }`,
      { token: viewer, variables },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.a).toEqual(body.data!.b);
    expect(await requests()).toBe(before + 1);
  });

  it('pages through every page, most viewed first, with Relay cursors over GA4 offsets', async () => {
    const range = { from: '2026-01-04', to: '2026-01-10' };
    const seen: PagesConnection['edges'][number]['node'][] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const response: { body: { data?: { topPages: PagesConnection } | null; errors?: unknown } } = await stack.query<{ topPages: PagesConnection }>(PAGES_QUERY, {
        token: viewer,
        variables: { ...range, first: 10, after },
      });
      expect(response.body.errors).toBeUndefined();
      const connection: PagesConnection = response.body.data!.topPages;
      expect(connection.totalCount).toBe(PAGES.length);
      seen.push(...connection.edges.map((edge) => edge.node));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const truth = expected({
      dateRanges: [{ startDate: range.from, endDate: range.to }],
      dimensions: [{ name: 'pagePath' }, { name: 'pageTitle' }],
      metrics: [{ name: 'screenPageViews' }],
      orderBys: [{ metric: { metricName: 'screenPageViews' }, desc: true }, { dimension: { dimensionName: 'pagePath' } }],
    });
    expect(seen).toEqual(truth.rows!.map((row) => ({ path: row.dimensionValues[0]!.value, title: row.dimensionValues[1]!.value, views: Number(row.metricValues[0]!.value) })));
    const firstPage = await stack.query<{ topPages: PagesConnection }>(`{ topPages(from: "2026-01-04", to: "2026-01-10") { edges { node { path } } } }`, { token: viewer });
    expect(firstPage.body.data!.topPages.edges).toHaveLength(10);
  });

  it.each([
    ['a malformed day', TRAFFIC, { from: '2026-1-01', to: '2026-01-31' }, 'from'],
    ['a day that does not exist', TRAFFIC, { from: '2026-02-01', to: '2026-02-30' }, 'to'],
    ['from after to', TRAFFIC, { from: '2026-03-01', to: '2026-02-01' }, 'from'],
    ['more than 366 days', TRAFFIC, { from: '2025-01-01', to: '2026-01-02' }, 'to'],
    ['top pages from after to', PAGES_QUERY, { from: '2026-03-01', to: '2026-02-01' }, 'from'],
    ['more than 50 top pages', PAGES_QUERY, { from: '2026-01-01', to: '2026-01-31', first: 51 }, 'first'],
    ['a cursor it never returned', PAGES_QUERY, { from: '2026-01-01', to: '2026-01-31', after: 'bm90LWEtY3Vyc29y' }, 'after'],
  ])('refuses %s with BAD_USER_INPUT and no upstream call', async (_name, query, variables, argument) => {
    await stack.resetSandboxes();
    const { status, body } = await stack.query(query, { token: viewer, variables });
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(await requests()).toBe(0);
  });

  it('accepts a whole leap year (366 days)', async () => {
    const { body } = await stack.query<{ webTraffic: Bucket[] }>(TRAFFIC, { token: viewer, variables: { from: '2024-01-01', to: '2024-12-31', by: 'MONTH' } });
    expect(body.errors).toBeUndefined();
    expect(body.data!.webTraffic).toHaveLength(12);
  });

  it.each<[Role, boolean]>([
    ['VIEWER', true],
    ['ANALYST', true],
    ['AUDITOR', true],
    ['ADMIN', true],
    ['OPERATOR', false],
  ])('%s may read analytics: %s', async (role, allowed) => {
    const { body } = await stack.query<{ webTraffic: Bucket[] | null; topPages: PagesConnection | null }>(
      `{ webTraffic(from: "2026-01-01", to: "2026-01-02") { date sessions } topPages(from: "2026-01-01", to: "2026-01-02", first: 2) { totalCount } }`,
      { token: await stack.token(role) },
    );
    if (allowed) {
      expect(body.errors).toBeUndefined();
      expect(body.data!.webTraffic).toHaveLength(2);
      expect(body.data!.topPages!.totalCount).toBe(PAGES.length);
    } else {
      expect(body.data?.webTraffic ?? null).toBeNull();
      expect(body.data?.topPages ?? null).toBeNull();
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    }
  });

  it('refreshes an expired access token once and answers', async () => {
    await stack.query(TRAFFIC, { token: viewer, variables: fresh() });
    await fetch(`${stack.googleAnalytics.url}/__admin/expire-tokens`, { method: 'POST' });
    const before = await requests();
    const { body } = await stack.query<{ webTraffic: Bucket[] }>(TRAFFIC, { token: viewer, variables: fresh() });
    expect(body.errors).toBeUndefined();
    expect(body.data!.webTraffic.length).toBeGreaterThan(0);
    // The refused report, one token request, the report again.
    expect((await requests()) - before).toBe(3);
  });

  it('nulls only its own fields when Google Analytics is down (the root fields are nullable)', async () => {
    await setFaults(stack.googleAnalytics.url, { down: true });
    try {
      const { body } = await stack.query<{ webTraffic: Bucket[] | null; emailStats: unknown[] }>(
        `query ($from: Date!, $to: Date!) { webTraffic(from: $from, to: $to) { date } emailStats(from: $from, to: $to) { date } }`,
        { token: viewer, variables: fresh() },
      );
      expect(body.data!.webTraffic).toBeNull();
      expect(body.data!.emailStats).not.toBeNull();
      expect(body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['webTraffic'], 'UPSTREAM_UNAVAILABLE']]);
    } finally {
      await stack.resetSandboxes();
    }
  });
});
