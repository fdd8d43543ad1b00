/**
 * One failing piece nulls only itself: with one upstream down, its own fields are null with
 * UPSTREAM_*, and everything the other upstreams answer stands; a field a role may not read
 * is null with FORBIDDEN next to the fields it may.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAST_RETRIES, setFaults, startTestStack, type GraphQLResponse, type TestStack } from './support/stack.ts';

/** One root field per upstream; each case asks with arguments no earlier case used, so nothing is cached for it. */
const everyUpstream = (n: number) => `{
  plant(id: "plant-${String(100 + n).padStart(3, '0')}") { id name }
  charges(first: 1, createdFrom: "2020-01-${String(n).padStart(2, '0')}") { edges { node { id } } }
  emailStats(from: "2025-01-${String(n).padStart(2, '0')}", to: "2025-01-28") { date }
  holidays(institutionId: "inst-001", year: ${2000 + n}) { date }
  webTraffic(from: "2025-02-${String(n).padStart(2, '0')}", to: "2025-02-28") { date }
  auditEvents(first: 1) { totalCount }
}`;

const FIELDS = ['plant', 'charges', 'emailStats', 'holidays', 'webTraffic', 'auditEvents'] as const;

type Everything = Record<(typeof FIELDS)[number], unknown>;

describe('one upstream down', () => {
  let stack: TestStack;
  let admin: string;
  beforeAll(async () => {
    stack = await startTestStack({ env: FAST_RETRIES });
    admin = await stack.token('ADMIN');
  });
  afterAll(async () => {
    await stack.close();
  });

  const ask = async (n: number) => (await stack.query<Everything>(everyUpstream(n), { token: admin })).body;

  it('answers every field while every upstream is up', async () => {
    const body = await ask(1);
    expect(body.errors).toBeUndefined();
    for (const field of FIELDS) expect(body.data?.[field]).not.toBeNull();
  });

  it.each([
    ['the Plant API', 'plantApi', 'plant', 2],
    ['Stripe', 'stripe', 'charges', 3],
    ['SendGrid', 'sendgrid', 'emailStats', 4],
    ['core banking', 'coreBanking', 'holidays', 5],
    ['Google Analytics', 'googleAnalytics', 'webTraffic', 7],
  ] as const)('nulls only its own field when %s is down', async (_name, sandbox, field, n) => {
    const admin = sandbox === 'coreBanking' ? { dispatcher: stack.coreBankingAgent } : {};
    await setFaults(stack[sandbox].url, { down: true }, admin);
    let body: GraphQLResponse<Everything>['body'];
    try {
      body = await ask(n);
    } finally {
      await setFaults(stack[sandbox].url, { down: false }, admin);
    }
    expect(body.data?.[field]).toBeNull();
    expect(body.errors?.map((error) => [error.path?.[0], error.extensions?.code])).toEqual([[field, 'UPSTREAM_UNAVAILABLE']]);
    for (const other of FIELDS.filter((name) => name !== field)) expect(body.data?.[other]).not.toBeNull();
  });

  it('nulls only the audit fields when the audit subgraph is gone', async () => {
    await stack.subgraphs.get('audit')!.close();
    const body = await ask(6);
    expect(body.data?.auditEvents).toBeNull();
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    for (const other of FIELDS.filter((name) => name !== 'auditEvents')) expect(body.data?.[other]).not.toBeNull();
  });
});

describe('a field the role may not read', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('is null with FORBIDDEN on each plant, and every plant still has its name', async () => {
    const { body } = await stack.query<{ plants: { edges: { node: { name: string; auditTrail: unknown } }[] } }>(
      `{ plants(first: 50) { edges { node { name auditTrail { totalCount } } } } }`,
      { token: await stack.token('VIEWER') },
    );
    const nodes = body.data!.plants.edges.map((edge) => edge.node);
    expect(nodes).toHaveLength(50);
    expect(nodes.every((node) => node.name && node.auditTrail === null)).toBe(true);
    expect(new Set(body.errors?.map((error) => error.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
    expect(body.errors?.[0]?.path).toEqual(['plants', 'edges', 0, 'node', 'auditTrail']);
  });
});
