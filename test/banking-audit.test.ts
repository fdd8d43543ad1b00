/**
 * The banking subgraph's audit events, in process against the real core banking sandbox:
 * each validation with its verdict, upstream failures, denials and plain sensitive reads.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent } from 'undici';
import { loadSettings } from '../config/settings.ts';
import { startCoreBanking, type RunningCoreBanking } from '../sandbox/core-banking/server.ts';
import type { AuditEventInput } from '../kit/audit-event.ts';
import type { Role } from '../kit/roles.ts';
import { readSubgraphSettings } from '../config/subgraph-settings.ts';
import { buildSubgraph, type SubgraphDefinition } from '../subgraphs/kit/subgraph.ts';
import type { BankingLoaders } from '../subgraphs/banking/loaders.ts';
import { bankingSubgraph } from '../subgraphs/banking/index.ts';
import { bankingSettings } from '../subgraphs/banking/settings.ts';
import { inProcess, type InProcessSubgraph } from './support/in-process.ts';
import { setFaults } from './support/stack.ts';
import { removeDir } from './support/temp-dir.ts';

describe('banking audit events', () => {
  let dataDir: string;
  let sandbox: RunningCoreBanking;
  let built: { definition: SubgraphDefinition<BankingLoaders>; close(): Promise<void> };
  let subgraph: InProcessSubgraph;
  let agent: Agent;
  const events: AuditEventInput[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-banking-audit-'));
    const env = { NODE_ENV: 'test', DATA_DIR: dataDir, CORE_BANKING_PORT: '0', CORE_BANKING_RETRY_INITIAL_DELAY_MS: '5', CORE_BANKING_RETRY_MAX_DELAY_MS: '20' };
    const base = loadSettings(env);
    const { pkiDir, clientId, clientSecret, apiKey, tokenTtlSeconds } = readSubgraphSettings(bankingSettings, base).values;
    sandbox = await startCoreBanking({ port: 0, pkiDir, clientId, clientSecret, apiKey, tokenTtlSeconds });
    agent = new Agent({ connect: { ca: sandbox.pki.ca, cert: sandbox.pki.client.cert, key: sandbox.pki.client.key } });
    const settings = loadSettings({ ...env, CORE_BANKING_URL: sandbox.url });
    const audit = { emit: (event: AuditEventInput) => void events.push(event), flush: async () => {}, close: async () => {}, connected: () => true };
    built = await buildSubgraph(bankingSubgraph, settings, audit);
    subgraph = inProcess(bankingSubgraph, built.definition);
  });
  afterAll(async () => {
    await built?.close();
    await agent?.close();
    await sandbox?.close();
    await removeDir(dataDir);
  });

  function run(role: Role, source: string) {
    events.length = 0;
    return subgraph.run(role, source, { audited: events });
  }

  it('audits a valid validation as SUCCESS and an invalid one as FAILURE, naming the caller and the ids', async () => {
    await run('OPERATOR', `mutation { validateAccount(input: { accountId: "acc-001", institutionId: "inst-001" }) { valid } }`);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'VALIDATION',
        actor: 'user-operator',
        service: 'banking',
        entityType: 'Account',
        entityId: 'acc-001',
        outcome: 'SUCCESS',
        details: expect.objectContaining({ accountId: 'acc-001', institutionId: 'inst-001', valid: true, errors: [] }),
      }),
    ]);

    await run('OPERATOR', `mutation { validateMember(input: { memberId: "mem-011", institutionId: "inst-001" }) { valid } }`);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'VALIDATION',
        entityType: 'Member',
        entityId: 'mem-011',
        outcome: 'FAILURE',
        details: expect.objectContaining({ memberId: 'mem-011', institutionId: 'inst-001', valid: false, errors: ['MEMBER_SUSPENDED'] }),
      }),
    ]);
  });

  it('audits a malformed validation as FAILURE with BAD_USER_INPUT', async () => {
    const result = await run('OPERATOR', `mutation { validateInstitution(input: { institutionId: "inst-1", sponsorId: "spn-001" }) { valid } }`);
    expect(result.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(events).toEqual([expect.objectContaining({ type: 'VALIDATION', entityType: 'Institution', outcome: 'FAILURE', details: expect.objectContaining({ error: 'BAD_USER_INPUT' }) })]);
  });

  it('audits a denied validation as FORBIDDEN and plain reads of account numbers as one SENSITIVE_READ per account', async () => {
    await run('ANALYST', `mutation { validateAccount(input: { accountId: "acc-001", institutionId: "inst-001" }) { valid } }`);
    expect(events).toEqual([expect.objectContaining({ type: 'FORBIDDEN', actor: 'user-analyst', outcome: 'DENIED' })]);

    await run('ADMIN', `{ account(id: "acc-001", institutionId: "inst-001") { accountNumber routingNumber } }`);
    expect(events.map((event) => [event.type, event.entityId, event.action, event.details])).toEqual([
      ['SENSITIVE_READ', 'acc-001', 'read Account.accountNumber, Account.routingNumber', { fields: ['Account.accountNumber', 'Account.routingNumber'] }],
    ]);
  });

  it('audits a failed upstream call as UPSTREAM_ERROR, and the validation as FAILURE', async () => {
    await setFaults(sandbox.url, { errorRate: 1 }, { dispatcher: agent });
    try {
      const result = await run('OPERATOR', `mutation { validateAccount(input: { accountId: "acc-005", institutionId: "inst-001" }) { valid } }`);
      expect(result.errors?.[0]?.extensions.code).toBe('UPSTREAM_ERROR');
      expect(events).toContainEqual(expect.objectContaining({ type: 'UPSTREAM_ERROR', actor: 'system:banking', outcome: 'FAILURE', details: expect.objectContaining({ api: 'core-banking', status: 500 }) }));
      expect(events).toContainEqual(expect.objectContaining({ type: 'VALIDATION', entityId: 'acc-005', outcome: 'FAILURE', details: expect.objectContaining({ error: 'UPSTREAM_ERROR' }) }));
    } finally {
      await setFaults(sandbox.url, { errorRate: 0 }, { dispatcher: agent });
    }
  });
});
