/** The email-stats subgraph through the gateway against the SendGrid sandbox. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBounces } from '../sandbox/sendgrid/bounces.ts';
import { globalStats } from '../sandbox/sendgrid/global-stats.ts';
import { emailResolvers } from '../subgraphs/email-stats/resolvers.ts';
import { sandboxRequests, startTestStack, type TestStack } from './support/stack.ts';

const STATS = `query ($from: Date!, $to: Date!, $by: EmailAggregation) {
  emailStats(from: $from, to: $to, aggregatedBy: $by) { date requests delivered opens uniqueOpens clicks uniqueClicks bounces spamReports blocks deliveryRate openRate }
}`;
const BOUNCES = `query ($first: Int, $after: String, $from: Date, $to: Date) {
  emailBounces(first: $first, after: $after, from: $from, to: $to) { edges { cursor node { email reason status created } } pageInfo { hasNextPage endCursor } }
}`;

interface BouncePage {
  emailBounces: { edges: { node: { email: string; reason: string; status: string; created: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe('email stats through the gateway', () => {
  let stack: TestStack;
  let viewer: string;
  let admin: string;
  const requests = () => sandboxRequests(stack.sendgrid.url);

  beforeAll(async () => {
    stack = await startTestStack();
    viewer = await stack.token('VIEWER');
    admin = await stack.token('ADMIN');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('serves SendGrid stats per week with computed rates, then from the cache', async () => {
    await stack.resetSandboxes();
    const variables = { from: '2026-01-01', to: '2026-01-31', by: 'WEEK' };
    const { body } = await stack.query<{ emailStats: Record<string, number | string | null>[] }>(STATS, { token: viewer, variables });
    expect(body.errors).toBeUndefined();
    const expected = globalStats('2026-01-01', '2026-01-31', 'week');
    expect(body.data!.emailStats.map((bucket) => [bucket.date, bucket.requests, bucket.delivered, bucket.uniqueOpens, bucket.spamReports])).toEqual(
      expected.map(({ date, stats }) => [date, stats[0]!.metrics.requests, stats[0]!.metrics.delivered, stats[0]!.metrics.unique_opens, stats[0]!.metrics.spam_reports]),
    );
    const first = body.data!.emailStats[0]!;
    expect(first.deliveryRate).toBeCloseTo((first.delivered as number) / (first.requests as number), 10);
    expect(first.openRate).toBeCloseTo((first.uniqueOpens as number) / (first.delivered as number), 10);
    expect(await requests()).toBe(1);
    await stack.query(STATS, { token: viewer, variables });
    expect(await requests()).toBe(1);
  });

  it('answers null rates when nothing was requested or delivered', () => {
    const empty = { date: '2026-01-01', requests: 0, delivered: 0, opens: 0, uniqueOpens: 0, clicks: 0, uniqueClicks: 0, bounces: 0, spamReports: 0, blocks: 0 };
    expect(emailResolvers.EmailStatsBucket.deliveryRate(empty)).toBeNull();
    expect(emailResolvers.EmailStatsBucket.openRate(empty)).toBeNull();
  });

  it.each([
    ['a malformed day', { from: '2026-1-01', to: '2026-01-31' }, 'from'],
    ['a day that does not exist', { from: '2026-02-01', to: '2026-02-30' }, 'to'],
    ['from after to', { from: '2026-03-01', to: '2026-02-01' }, 'from'],
    ['more than 366 days', { from: '2025-01-01', to: '2026-01-02' }, 'to'],
  ])('refuses %s with BAD_USER_INPUT and no upstream call', async (_name, variables, argument) => {
    await stack.resetSandboxes();
    const { status, body } = await stack.query(STATS, { token: viewer, variables });
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(await requests()).toBe(0);
  });

  it('checks dates written into the query too', async () => {
    const { body } = await stack.query(`{ emailStats(from: "2026-13-01", to: "2026-12-31") { date } }`, { token: viewer });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('accepts a whole leap year (366 days)', async () => {
    const { body } = await stack.query<{ emailStats: unknown[] }>(STATS, { token: viewer, variables: { from: '2024-01-01', to: '2024-12-31', by: 'MONTH' } });
    expect(body.errors).toBeUndefined();
    expect(body.data!.emailStats).toHaveLength(12);
  });

  it('pages through every bounce, plain for an ADMIN', async () => {
    const expected = createBounces();
    const seen: BouncePage['emailBounces']['edges'][number]['node'][] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const response: { body: { data?: BouncePage | null } } = await stack.query<BouncePage>(BOUNCES, { token: admin, variables: { first: 50, after } });
      const connection: BouncePage['emailBounces'] = response.body.data!.emailBounces;
      seen.push(...connection.edges.map((edge) => edge.node));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen.map((bounce) => bounce.email)).toEqual(expected.map((bounce) => bounce.email));
    expect(seen[0]).toEqual({ ...expected[0], created: new Date(expected[0]!.created * 1000).toISOString() });
  });

  it('masks bounced addresses for a VIEWER and filters by day', async () => {
    const newest = createBounces()[0]!;
    const day = new Date(newest.created * 1000).toISOString().slice(0, 10);
    const { body } = await stack.query<BouncePage>(BOUNCES, { token: viewer, variables: { first: 5, from: day, to: day } });
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.emailBounces.edges.map((edge) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node.email).toMatch(/^[a-z]\*\*\*@[a-z.-]+$/);
      expect(node.created.slice(0, 10)).toBe(day);
      // SendGrid's reasons quote the recipient: the quote is masked too.
      expect(node.reason).not.toMatch(/[a-z0-9._-]{2,}@/i);
    }
  });

  it('refuses an OPERATOR (no email:read) with FORBIDDEN', async () => {
    const { body } = await stack.query(STATS, { token: await stack.token('OPERATOR'), variables: { from: '2026-01-01', to: '2026-01-02' } });
    expect(body.data).toEqual({ emailStats: null });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('dashboard widget operations', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each([
    ['payments-overview.graphql', { first: 5 }],
    ['email-health.graphql', { from: '2026-01-01', to: '2026-01-14' }],
  ])('%s runs without errors for a VIEWER', async (file, variables) => {
    const query = readFileSync(new URL(`../schema/operations/${file}`, import.meta.url), 'utf8');
    const { body } = await stack.query(query, { token: await stack.token('VIEWER'), variables });
    expect(body.errors).toBeUndefined();
    expect(body.data).toBeTruthy();
  });
});
