/**
 * PostgreSQL goes away under the audit log (a server of the test's own, stopped and
 * started again): queries that do not need it keep answering, and every audit event caused
 * before, during and after is stored exactly once, in an intact chain.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startPrivatePostgres, type PrivateServer } from './support/private-services.ts';
import { eventually, startTestStack, type TestStack } from './support/stack.ts';

describe('a PostgreSQL outage under the audit log', () => {
  let postgres: PrivateServer;
  let stack: TestStack;
  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    stack = await startTestStack({ env: { DATABASE_URL: postgres.url } });
  });
  afterAll(async () => {
    await stack?.close();
    await postgres?.close();
  });

  it('loses no audit event and stores none twice', async () => {
    const actor = `pg-outage-${randomUUID()}`;
    const denied = await stack.token('VIEWER', { subject: actor });
    const viewer = await stack.token('VIEWER');
    const cause = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        const { body } = await stack.query(`{ holidays(institutionId: "inst-001", year: 2026) { date } plant(id: "plant-001") { name } }`, { token: denied });
        expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      }
    };
    const stored = async () => {
      const { body } = await stack.query<{ auditEvents: { totalCount: number } | null }>(
        `query ($actor: String) { auditEvents(filter: { actor: $actor, type: FORBIDDEN }, first: 1) { totalCount } }`,
        { token: await stack.token('AUDITOR'), variables: { actor } },
      );
      return body.data?.auditEvents?.totalCount;
    };
    await cause(10);
    await postgres.stop();
    // The log cannot be read (PostgreSQL is down indeed), and says so.
    const unreadable = await stack.query(`{ auditEvents(first: 1) { totalCount } }`, { token: await stack.token('AUDITOR') });
    expect(unreadable.body.data).toEqual({ auditEvents: null });
    expect(unreadable.body.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    await cause(10);
    // What does not need PostgreSQL answers as before.
    const { body } = await stack.query<{ plant: { name: string } }>(`{ plant(id: "plant-002") { name } }`, { token: viewer });
    expect(body.data?.plant.name).toBeTruthy();
    await postgres.start();
    await cause(10);
    await eventually(async () => ((await stored()) === 30 ? true : undefined), { timeoutMs: 60_000, describe: async () => `30 stored (have ${await stored()})` });
    const chain = await stack.query<{ auditChainStatus: { valid: boolean } }>(`{ auditChainStatus { valid } }`, { token: await stack.token('AUDITOR') });
    expect(chain.body.data?.auditChainStatus.valid).toBe(true);
  });
});
