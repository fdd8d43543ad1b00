/**
 * The audit log end to end, on embedded PGlite and on real PostgreSQL: what producers
 * record reaches the store, auditors (only) can read it, per-entity trails come through the
 * gateway, the hash chain verifies and reports a row changed behind its back, and nothing
 * secret or unmasked is ever stored.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { openAuditStore } from '../subgraphs/audit/store/index.ts';
import { rawQuery } from '../subgraphs/audit/store/testing.ts';
import { PLANT_WEBHOOK_PATH } from '../subgraphs/plants/webhooks.ts';
import { DATABASE_URL } from './support/services.ts';
import { eventually, FAST_RESILIENCE, setFaults, startTestStack, type TestStack } from './support/stack.ts';
import { removeDir } from './support/temp-dir.ts';

interface EventNode {
  id: string;
  type: string;
  actor: string;
  service: string;
  entityType: string | null;
  entityId: string | null;
  outcome: string;
  details: string;
}
type EventsAnswer = { auditEvents: { totalCount: number; edges: { node: EventNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

const EVENTS = `query ($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { node { id type actor service entityType entityId outcome details } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const stores = [
  ['PGlite (embedded)', () => ({})],
  ['PostgreSQL', () => ({ DATABASE_URL, AUDIT_SCHEMA: `audit_test_${randomUUID().replace(/-/g, '')}` })],
] as const;

describe.each(stores)('audit log on %s', (storeName, storeEnv) => {
  let stack: TestStack;
  let auditor: string;
  let keptDataDir: string | undefined;
  const env: Record<string, string> = { ...FAST_RESILIENCE, ...storeEnv() };

  beforeAll(async () => {
    stack = await startTestStack({ env });
    auditor = await stack.token('AUDITOR', { subject: 'auditor-1' });
  });
  afterAll(async () => {
    await stack.close();
    if (keptDataDir) await removeDir(keptDataDir);
    if (env.AUDIT_SCHEMA) {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${env.AUDIT_SCHEMA}" CASCADE`);
      await client.end();
    }
  });

  /** Events matching a filter, once at least `atLeast` of them are stored. */
  async function eventsOf(filter: Record<string, unknown>, atLeast = 1): Promise<EventNode[]> {
    return eventually(async () => {
      const { body } = await stack.query<EventsAnswer>(EVENTS, { token: auditor, variables: { filter, first: 50 } });
      const edges = body.data?.auditEvents.edges ?? [];
      return edges.length >= atLeast ? edges.map((edge) => edge.node) : undefined;
    });
  }

  it('records a Plant API failure that an AUDITOR can query and a VIEWER cannot', async () => {
    await setFaults(stack.plantApi.url, { errorRate: 1 });
    const failed = await stack.query(`{ plant(id: "plant-044") { id } }`, { token: await stack.token('VIEWER') });
    await setFaults(stack.plantApi.url, { errorRate: 0 });
    expect(failed.body.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);

    const [event] = await eventsOf({ type: 'UPSTREAM_ERROR' });
    expect(event).toMatchObject({ service: 'plants', outcome: 'FAILURE' });
    expect(JSON.parse(event!.details)).toMatchObject({ api: 'plant-api' });

    const viewer = await stack.query<EventsAnswer>(EVENTS, { token: await stack.token('VIEWER'), variables: { first: 5 } });
    expect(viewer.body.data?.auditEvents ?? null).toBeNull();
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('records refused tokens at the gateway and denied fields with their actor', async () => {
    await stack.query(`{ plantApiStatus { up } }`, { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.' });
    const [failure] = await eventsOf({ type: 'AUTH_FAILURE' });
    expect(failure).toMatchObject({ actor: 'anonymous', service: 'gateway', outcome: 'DENIED' });

    await stack.query(EVENTS, { token: await stack.token('VIEWER', { subject: 'viewer-7' }), variables: { first: 1 } });
    const [denied] = await eventsOf({ type: 'FORBIDDEN', actor: 'viewer-7' });
    expect(denied).toMatchObject({ service: 'audit', outcome: 'DENIED' });
  });

  it('records rejected webhooks', async () => {
    const webhook = stack.subgraphs.get('plants')!.url.replace(/\/graphql$/, PLANT_WEBHOOK_PATH);
    const response = await fetch(webhook, { method: 'POST', headers: { 'X-Plant-Signature': 't=1,v1=00' }, body: '{"event":"plant.updated","plant_id":"plant-001"}' });
    expect(response.status).toBe(401);
    const [rejected] = await eventsOf({ type: 'WEBHOOK_REJECTED' });
    expect(JSON.parse(rejected!.details)).toEqual({ reason: 'malformed', requestId: response.headers.get('x-request-id') });
  });

  it('keeps an audit trail per plant, served through the gateway next to the plant', async () => {
    const admin = await stack.token('ADMIN', { subject: 'admin-1' });
    await stack.query(`{ a: plant(id: "plant-001") { operator { email } } b: plant(id: "plant-002") { operator { phone } } }`, { token: admin });
    await eventsOf({ type: 'SENSITIVE_READ', actor: 'admin-1' }, 2);

    const { body } = await stack.query<{ plants: { edges: { node: { id: string; name: string; auditTrail: { totalCount: number; edges: { node: { type: string; actor: string } }[] } } }[] } }>(
      `{ plants(first: 50) { edges { node { id name auditTrail(first: 5) { totalCount edges { node { type actor } } } } } } }`,
      { token: auditor },
    );
    expect(body.errors).toBeUndefined();
    const byId = new Map(body.data!.plants.edges.map((edge) => [edge.node.id, edge.node]));
    expect(byId.size).toBe(50);
    expect(byId.get('plant-001')!.auditTrail.edges.map((edge) => edge.node)).toContainEqual({ type: 'SENSITIVE_READ', actor: 'admin-1' });
    expect(byId.get('plant-002')!.auditTrail.totalCount).toBeGreaterThanOrEqual(1);
    expect(byId.get('plant-050')!.auditTrail.totalCount).toBe(0);

    // A VIEWER sees the plant but not its trail.
    const viewer = await stack.query<{ plant: { name: string; auditTrail: unknown } | null }>(`{ plant(id: "plant-001") { name auditTrail { totalCount } } }`, { token: await stack.token('VIEWER') });
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps an audit trail per account, with every validation in it', async () => {
    const operator = await stack.token('OPERATOR', { subject: 'operator-1' });
    const validated = await stack.query(`mutation { validateAccount(input: { accountId: "acc-005", institutionId: "inst-001" }) { valid } }`, { token: operator });
    expect(validated.body.errors).toBeUndefined();
    await eventsOf({ type: 'VALIDATION', actor: 'operator-1' });
    const { body } = await stack.query<{ account: { auditTrail: { edges: { node: { type: string; actor: string } }[] } } }>(
      `{ account(id: "acc-005", institutionId: "inst-001") { id auditTrail { edges { node { type actor } } } } }`,
      { token: auditor },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.account.auditTrail.edges.map((edge) => edge.node)).toContainEqual({ type: 'VALIDATION', actor: 'operator-1' });
  });

  it('keeps audit trails for Stripe customers and charges', async () => {
    const admin = await stack.token('ADMIN', { subject: 'admin-2' });
    const { body } = await stack.query<{ charges: { edges: { node: { id: string; receiptEmail: string; customer: { id: string; email: string } } }[] } }>(
      `{ charges(first: 1) { edges { node { id receiptEmail customer { id email } } } } }`,
      { token: admin },
    );
    expect(body.errors).toBeUndefined();
    const charge = body.data!.charges.edges[0]!.node;
    await eventsOf({ type: 'SENSITIVE_READ', actor: 'admin-2' }, 2);
    const trails = await stack.query<{ customer: { auditTrail: { edges: { node: { type: string; actor: string } }[] } }; charge: { auditTrail: { totalCount: number } } }>(
      `query ($customer: ID!, $charge: ID!) { customer(id: $customer) { auditTrail { edges { node { type actor } } } } charge(id: $charge) { auditTrail { totalCount } } }`,
      { token: auditor, variables: { customer: charge.customer.id, charge: charge.id } },
    );
    expect(trails.body.errors).toBeUndefined();
    expect(trails.body.data!.customer.auditTrail.edges.map((edge) => edge.node)).toContainEqual({ type: 'SENSITIVE_READ', actor: 'admin-2' });
    expect(trails.body.data!.charge.auditTrail.totalCount).toBeGreaterThanOrEqual(1);
  });

  it('pages events newest first and refuses bad arguments', async () => {
    const first = await stack.query<EventsAnswer>(EVENTS, { token: auditor, variables: { first: 2 } });
    const page = first.body.data!.auditEvents;
    expect(page.edges).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await stack.query<EventsAnswer>(EVENTS, { token: auditor, variables: { first: 2, after: page.pageInfo.endCursor } });
    const ids = [...page.edges, ...next.body.data!.auditEvents.edges].map((edge) => edge.node.id);
    expect(new Set(ids).size).toBe(4);

    for (const variables of [{ first: 51 }, { first: 1, after: 'bm90LWEtY3Vyc29y' }, { first: 1, filter: { from: 'yesterday' } }]) {
      const { body } = await stack.query(EVENTS, { token: auditor, variables });
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('reports counts by type, service, actor and day', async () => {
    const { body } = await stack.query<{ complianceReport: { total: number; byType: { key: string; count: number }[]; byService: { key: string }[]; byDay: { key: string }[] } }>(
      `query ($from: String!, $to: String!) { complianceReport(kind: ERRORS, from: $from, to: $to) { total byType { key count } byService { key count } byActor { key count } byDay { key count } } }`,
      { token: auditor, variables: { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 3600_000).toISOString() } },
    );
    expect(body.errors).toBeUndefined();
    const report = body.data!.complianceReport;
    expect(report.total).toBeGreaterThanOrEqual(2);
    expect(report.byType.map((row) => row.key)).toEqual(expect.arrayContaining(['UPSTREAM_ERROR', 'WEBHOOK_REJECTED']));
    expect(report.byService.map((row) => row.key)).toContain('plants');
    expect(report.byDay).toHaveLength(1);
  });

  it('stores nothing secret and no unmasked personal data', async () => {
    const secret = stack.upstreams.plantApi.clientSecret;
    const everything: EventNode[] = [];
    let after: string | null = null;
    for (;;) {
      const response: Awaited<ReturnType<TestStack['query']>> = await stack.query<EventsAnswer>(EVENTS, { token: auditor, variables: { first: 50, after } });
      const page = (response.body.data as EventsAnswer).auditEvents;
      everything.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(everything.length).toBeGreaterThan(5);
    const dump = JSON.stringify(everything);
    expect(dump).not.toMatch(/[a-z]+\.[a-z]+@example\.com/); // operator emails in the clear
    expect(dump).not.toMatch(/\+1-555-\d{3}-\d{4}/); // operator phones in the clear
    expect(dump).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\./); // tokens
    expect(dump).not.toContain(secret);
    expect(dump).not.toMatch(/Bearer /i);
  });

  it('shows each event\'s link in the hash chain, which an auditor can check with nothing but sha256', async () => {
    const { body } = await stack.query<{ auditEvents: { edges: { node: EventNode & { at: string; action: string; prevHash: string; hash: string } }[] } }>(
      `{ auditEvents(first: 20) { edges { node { id at type actor service entityType entityId action outcome details prevHash hash } } } }`,
      { token: auditor },
    );
    const newestFirst = body.data!.auditEvents.edges.map((edge) => edge.node);
    expect(newestFirst.length).toBeGreaterThan(3);
    for (const [i, event] of newestFirst.entries()) {
      const { prevHash, hash, details, ...content } = event;
      const canonical = canonicalJson({ ...content, details: JSON.parse(details) });
      expect(createHash('sha256').update(`${prevHash}\n${canonical}`).digest('hex')).toBe(hash);
      const older = newestFirst[i + 1];
      if (older) expect(prevHash).toBe(older.hash);
    }
  });

  it(`verifies the hash chain, and reports a row changed directly in ${storeName}`, async () => {
    const status = `{ auditChainStatus { valid length brokenAt } }`;
    const before = await stack.query<{ auditChainStatus: { valid: boolean; length: number; brokenAt: string | null } }>(status, { token: auditor });
    expect(before.body.data!.auditChainStatus).toMatchObject({ valid: true, brokenAt: null });
    expect(before.body.data!.auditChainStatus.length).toBeGreaterThan(5);
    const [victim] = await eventsOf({ type: 'WEBHOOK_REJECTED' });

    if (env.DATABASE_URL) {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`ALTER TABLE "${env.AUDIT_SCHEMA}".audit_events DISABLE TRIGGER USER`);
      await client.query(`UPDATE "${env.AUDIT_SCHEMA}".audit_events SET outcome = 'SUCCESS' WHERE id = $1`, [victim!.id]);
      await client.end();
    } else {
      // PGlite is a folder one process opens at a time: stop the stack, tamper, start again on it.
      await stack.stop();
      keptDataDir = stack.dataDir;
      const store = await openAuditStore({ dataDir: keptDataDir, databaseUrl: undefined });
      await rawQuery(store, `ALTER TABLE audit.audit_events DISABLE TRIGGER USER`);
      await rawQuery(store, `UPDATE audit.audit_events SET outcome = 'SUCCESS' WHERE id = $1`, [victim!.id]);
      await store.close();
      stack = await startTestStack({ env: { ...env, DATA_DIR: keptDataDir } });
      auditor = await stack.token('AUDITOR');
    }

    const after = await stack.query<{ auditChainStatus: { valid: boolean; brokenAt: string | null } }>(status, { token: auditor });
    expect(after.body.data!.auditChainStatus).toMatchObject({ valid: false, brokenAt: victim!.id });
  });
});

/** JSON with keys sorted at every level, written here from the schema's description alone. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
}
