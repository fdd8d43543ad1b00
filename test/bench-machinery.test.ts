/**
 * The bench's machinery, not its figures (speed is never asserted): one tiny round of one
 * scenario through our gateway and the plain comparison gateway, both in this process over
 * the same subgraphs, gives a row per gateway with our ratio; and the equal-data check
 * stops the bench when a gateway answers other data.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkEqualData } from '../bench/check-answers.ts';
import { AnswersDiffer, assertEqualData, firstDifference } from '../bench/equal-data.ts';
import { WIDGET_OPERATIONS } from '../bench/operations.ts';
import { startPlainGateway, type RunningComparisonGateway } from '../bench/plain-gateway.ts';
import { runRounds } from '../bench/rounds.ts';
import { formatErrorCodes, formatTable, rowsOf } from '../bench/table.ts';
import { subgraphCredential } from '../bench/subgraph-credential.ts';
import { supergraphAt } from '../bench/supergraph-at.ts';
import type { GatewayUnderTest } from '../bench/under-test.ts';
import { startTestStack, type TestStack } from './support/stack.ts';

const STATUS = WIDGET_OPERATIONS.find((operation) => operation.name === 'plant-api-status')!;

describe('the bench machinery', () => {
  let stack: TestStack;
  let plain: RunningComparisonGateway;
  let token: string;
  let ours: GatewayUnderTest;
  let theirs: GatewayUnderTest;
  beforeAll(async () => {
    stack = await startTestStack({ env: { RATE_LIMIT_PLANS: 'basic=1000000/1000000' } });
    plain = await startPlainGateway({ supergraphSdl: supergraphAt(stack.settings), credential: subgraphCredential(stack.settings) });
    token = await stack.token('VIEWER');
    ours = { name: 'ours', url: stack.gateway!.url, pid: process.pid, ours: true };
    theirs = { name: 'plain apollo', url: plain.url, pid: process.pid, ours: false };
  });
  afterAll(async () => {
    await plain?.close();
    await stack?.close();
  });

  it('drives a round through each gateway and tabulates a row per gateway, our ratio on ours', async () => {
    await checkEqualData([ours, theirs], [STATUS], () => token);
    const measurements = await runRounds({
      scenarios: [{ name: 'status', tier: 'warm', operations: [STATUS] }],
      gateways: [ours, theirs],
      tier: { pid: process.pid, upstreamRequests: async () => stack.plantApi.requests() },
      tokenFor: () => token,
      rounds: 1,
      seconds: 1,
      connections: 2,
    });
    const rows = rowsOf(measurements);
    expect(rows.map((row) => [row.scenario, row.gateway])).toEqual([
      ['status', 'ours'],
      ['status', 'plain apollo'],
    ]);
    for (const row of rows) expect(row.failed).toBe(0);
    expect(rows[0]!.ratios['plain apollo']).toBeGreaterThan(0);
    expect(rows[1]!.ratios).toEqual({});
    const table = formatTable(rows).split('\n');
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(/^status\s+ours\s.*x$/);
    expect(table[3]).toMatch(/^status\s+plain apollo\s/);
    expect(formatErrorCodes(rows)).toBe('no answer carried errors');
  });

  it('says what the answers with errors carried, by code, most frequent first', async () => {
    const forbidden = { query: '{ plant(id: "plant-001") { name auditTrail(first: 1) { totalCount } } }', variables: {}, role: 'VIEWER' as const, name: 'forbidden', trusted: false };
    const [measured] = await runRounds({
      scenarios: [{ name: 'masked', tier: 'warm', operations: [forbidden] }],
      gateways: [ours],
      tier: { pid: process.pid, upstreamRequests: async () => stack.plantApi.requests() },
      tokenFor: () => token,
      rounds: 1,
      seconds: 1,
      connections: 1,
    });
    expect(measured!.withErrors).toBeGreaterThan(0);
    expect(measured!.errorCodes).toEqual({ FORBIDDEN: measured!.withErrors });
    const rows = rowsOf([measured!, { ...measured!, gateway: 'other', errorCodes: { UPSTREAM_UNAVAILABLE: 2, FORBIDDEN: 5 }, withErrors: 6 }]);
    expect(formatErrorCodes(rows).split('\n')).toEqual([
      'answers with errors, by error code:',
      `  masked / ours: FORBIDDEN ${measured!.withErrors}`,
      '  masked / other: FORBIDDEN 5, UPSTREAM_UNAVAILABLE 2',
    ]);
  });

  describe('the equal-data check', () => {
    let liar: Server;
    beforeAll(async () => {
      // A gateway that answers the status operation with the API down.
      liar = createServer((_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { plantApiStatus: { up: false, since: null, banner: null } } })));
      await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => liar.close(() => resolve())));

    it('stops the bench when a gateway answers other data, naming where', async () => {
      const lying: GatewayUnderTest = { name: 'liar', url: `http://127.0.0.1:${(liar.address() as AddressInfo).port}/graphql`, pid: process.pid, ours: false };
      await expect(checkEqualData([ours, lying], [STATUS], () => token, { attempts: 1 })).rejects.toThrow(/plant-api-status: liar .* other data than ours at data\.plantApiStatus\.up: false instead of true/);
    });

    it('names the first difference by its path, and refuses a reference without data', () => {
      expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBeUndefined();
      expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe('data.a[1].b');
      expect(firstDifference({ a: [1] }, { a: [1, 2] })).toBe('data.a.length');
      expect(() => assertEqualData('op', { gateway: 'ours', status: 200, body: { data: null } }, [])).toThrow(AnswersDiffer);
    });
  });
});
