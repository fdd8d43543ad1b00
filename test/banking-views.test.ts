/**
 * The banking subgraph through the gateway against the core banking sandbox (mutual TLS):
 * each role's view of the same records, each validation path, and malformed ids refused
 * before anything reaches the platform.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sandboxRequests, startTestStack, type GraphQLResponse, type TestStack } from './support/stack.ts';

const ACCOUNT_QUERY = `query ($id: ID!, $institutionId: ID!) {
  account(id: $id, institutionId: $institutionId) {
    id status accountNumber routingNumber balance { amount currency formatted }
    statusHistory { status at } lastUpdated institution { id name sponsorId status }
  }
}`;
const MEMBER_QUERY = `query ($id: ID!, $institutionId: ID!) {
  member(id: $id, institutionId: $institutionId) { id fullName email status institution { id name } }
}`;
const VALIDATE_ACCOUNT = `mutation ($input: ValidateAccountInput!) {
  validateAccount(input: $input) { valid errors { code message } account { id status institution { id } } }
}`;
const VALIDATE_MEMBER = `mutation ($input: ValidateMemberInput!) {
  validateMember(input: $input) { valid errors { code message } member { id status } }
}`;
const VALIDATE_INSTITUTION = `mutation ($input: ValidateInstitutionInput!) {
  validateInstitution(input: $input) { valid errors { code message } institution { id name sponsorId status } }
}`;

const MASKED_NUMBER = /^\*{4}-\*{4}-\*{4}-\d{4}$/;

type Data = Record<string, any>;

function codes(body: GraphQLResponse<unknown>['body']): (string | undefined)[] {
  return (body.errors ?? []).map((error) => error.extensions?.code);
}

describe('banking through the gateway', () => {
  let stack: TestStack;
  const upstreamRequests = () => sandboxRequests(stack.coreBanking.url, { dispatcher: stack.coreBankingAgent });
  const ask = async (role: Parameters<TestStack['token']>[0], query: string, variables: Record<string, unknown>) =>
    stack.query<Data>(query, { token: await stack.token(role), variables });

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  describe('per role', () => {
    it('refuses a VIEWER (no banking:read) with FORBIDDEN', async () => {
      const { status, body } = await ask('VIEWER', ACCOUNT_QUERY, { id: 'acc-001', institutionId: 'inst-001' });
      expect(status).toBe(200);
      expect(body.data?.account).toBeNull();
      expect(codes(body)).toEqual(['FORBIDDEN']);
    });

    it('shows an ANALYST masked numbers and no balance', async () => {
      const { body } = await ask('ANALYST', ACCOUNT_QUERY, { id: 'acc-001', institutionId: 'inst-001' });
      const account = body.data?.account;
      expect(account).toMatchObject({ id: 'acc-001', status: 'OPEN', institution: { id: 'inst-001', name: 'Harborview Credit Union' } });
      expect(account.accountNumber).toMatch(MASKED_NUMBER);
      expect(account.routingNumber).toMatch(MASKED_NUMBER);
      expect(account.balance).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]).toMatchObject({ path: ['account', 'balance'], extensions: { code: 'FORBIDDEN' } });
    });

    it('shows an ADMIN the plain numbers and the balance, and the masks keep their last four digits', async () => {
      const { body } = await ask('ADMIN', ACCOUNT_QUERY, { id: 'acc-001', institutionId: 'inst-001' });
      expect(body.errors).toBeUndefined();
      const account = body.data?.account;
      expect(account.accountNumber).toMatch(/^\d{12}$/);
      expect(account.routingNumber).toMatch(/^\d{9}$/);
      expect(account.balance).toMatchObject({ currency: 'USD', amount: expect.any(Number) });
      expect(account.balance.formatted).toMatch(/^\$[\d,]+\.\d{2}$/);

      const masked = (await ask('ANALYST', ACCOUNT_QUERY, { id: 'acc-001', institutionId: 'inst-001' })).body.data?.account;
      expect(masked.accountNumber).toBe(`****-****-****-${account.accountNumber.slice(-4)}`);
      expect(masked.routingNumber).toBe(`****-****-****-${account.routingNumber.slice(-4)}`);
    });

    it('masks a member email without pii:read', async () => {
      const analyst = (await ask('ANALYST', MEMBER_QUERY, { id: 'mem-002', institutionId: 'inst-001' })).body;
      expect(analyst.errors).toBeUndefined();
      expect(analyst.data?.member).toMatchObject({ id: 'mem-002', fullName: 'Ben Okafor', status: 'ACTIVE', institution: { id: 'inst-001' } });
      expect(analyst.data?.member.email).toBe('b***@example.com');
      const admin = (await ask('ADMIN', MEMBER_QUERY, { id: 'mem-002', institutionId: 'inst-001' })).body;
      expect(admin.data?.member.email).toBe('ben.okafor.002@example.com');
    });

    it('lets an OPERATOR validate and refuses an ANALYST', async () => {
      const operator = (await ask('OPERATOR', VALIDATE_ACCOUNT, { input: { accountId: 'acc-001', institutionId: 'inst-001' } })).body;
      expect(operator.errors).toBeUndefined();
      expect(operator.data?.validateAccount).toEqual({ valid: true, errors: [], account: { id: 'acc-001', status: 'OPEN', institution: { id: 'inst-001' } } });

      const analyst = (await ask('ANALYST', VALIDATE_ACCOUNT, { input: { accountId: 'acc-001', institutionId: 'inst-001' } })).body;
      expect(analyst.data).toEqual({ validateAccount: null });
      expect(codes(analyst)).toEqual(['FORBIDDEN']);
    });
  });

  describe('reads', () => {
    it('gives an account its status history, oldest first', async () => {
      const { body } = await ask('ADMIN', ACCOUNT_QUERY, { id: 'acc-031', institutionId: 'inst-001' });
      const account = body.data?.account;
      expect(account.status).toBe('CLOSED');
      expect(account.statusHistory.map((change: { status: string }) => change.status)).toEqual(['OPEN', 'CLOSED']);
      expect(account.lastUpdated).toBe(account.statusHistory[1].at);
      expect(account.balance).toEqual({ amount: 0, currency: 'USD', formatted: '$0.00' });
    });

    it('answers null for a record unknown at that institution', async () => {
      const elsewhere = (await ask('ADMIN', MEMBER_QUERY, { id: 'mem-001', institutionId: 'inst-002' })).body;
      expect(elsewhere.errors).toBeUndefined();
      expect(elsewhere.data?.member).toBeNull();
      const unknown = (await ask('ADMIN', ACCOUNT_QUERY, { id: 'acc-099', institutionId: 'inst-001' })).body;
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data?.account).toBeNull();
    });

    it('reads an institution and its holiday calendar', async () => {
      const { body } = await ask('ANALYST', `{ institution(id: "inst-002") { id name sponsorId status } holidays(institutionId: "inst-002", year: 2026) { date name } }`, {});
      expect(body.errors).toBeUndefined();
      expect(body.data?.institution).toEqual({ id: 'inst-002', name: 'Prairie State Bank', sponsorId: 'spn-002', status: 'ACTIVE' });
      expect(body.data?.holidays).toContainEqual({ date: '2026-03-02', name: 'State Founders Day' });
      expect(body.data?.holidays).toContainEqual({ date: '2026-12-25', name: 'Christmas Day' });
      const dates = body.data?.holidays.map((holiday: { date: string }) => holiday.date);
      expect(dates).toEqual([...dates].sort());

      const none = (await ask('ANALYST', `{ holidays(institutionId: "inst-002", year: 2031) { date } }`, {})).body;
      expect(none.errors).toBeUndefined();
      expect(none.data?.holidays).toEqual([]);
    });
  });

  describe('validations', () => {
    it.each([
      ['a valid institution', VALIDATE_INSTITUTION, { institutionId: 'inst-001', sponsorId: 'spn-001' }, []],
      ['a sponsor mismatch', VALIDATE_INSTITUTION, { institutionId: 'inst-001', sponsorId: 'spn-002' }, ['SPONSOR_MISMATCH']],
      ['a suspended institution', VALIDATE_INSTITUTION, { institutionId: 'inst-004', sponsorId: 'spn-003' }, ['INSTITUTION_SUSPENDED']],
      ['an unknown institution', VALIDATE_INSTITUTION, { institutionId: 'inst-099', sponsorId: 'spn-001' }, ['INSTITUTION_NOT_FOUND']],
      ['a valid member', VALIDATE_MEMBER, { memberId: 'mem-001', institutionId: 'inst-001' }, []],
      ['an inactive member', VALIDATE_MEMBER, { memberId: 'mem-007', institutionId: 'inst-001' }, ['MEMBER_INACTIVE']],
      ['a suspended member', VALIDATE_MEMBER, { memberId: 'mem-011', institutionId: 'inst-001' }, ['MEMBER_SUSPENDED']],
      ['a member of another institution', VALIDATE_MEMBER, { memberId: 'mem-001', institutionId: 'inst-002' }, ['INSTITUTION_MISMATCH']],
      ['a valid account', VALIDATE_ACCOUNT, { accountId: 'acc-002', institutionId: 'inst-001' }, []],
      ['a closed account', VALIDATE_ACCOUNT, { accountId: 'acc-031', institutionId: 'inst-001' }, ['ACCOUNT_CLOSED']],
      ['a frozen account', VALIDATE_ACCOUNT, { accountId: 'acc-035', institutionId: 'inst-001' }, ['ACCOUNT_FROZEN']],
      ['an account at another institution', VALIDATE_ACCOUNT, { accountId: 'acc-002', institutionId: 'inst-002' }, ['INSTITUTION_MISMATCH']],
      ['an unknown account', VALIDATE_ACCOUNT, { accountId: 'acc-099', institutionId: 'inst-001' }, ['ACCOUNT_NOT_FOUND']],
    ])('answers %s', async (_name, mutation, input, expected) => {
      const { body } = await ask('OPERATOR', mutation, { input });
      expect(body.errors).toBeUndefined();
      const answer = Object.values(body.data ?? {})[0] as { valid: boolean; errors: { code: string; message: string }[] } & Data;
      expect(answer.valid).toBe(expected.length === 0);
      expect(answer.errors.map((error) => error.code)).toEqual(expected);
      for (const error of answer.errors) expect(error.message).toEqual(expect.any(String));
      const record = answer[['institution', 'member', 'account'].find((key) => key in answer) as string];
      if (expected.some((code) => code.endsWith('_NOT_FOUND'))) expect(record).toBeNull();
      else expect(record.id).toBe(Object.values(input)[0]);
    });

    it.each([
      ['a short account id', VALIDATE_ACCOUNT, { accountId: 'acc-1', institutionId: 'inst-001' }, 'input.accountId'],
      ['an upper-case account id', VALIDATE_ACCOUNT, { accountId: 'ACC-001', institutionId: 'inst-001' }, 'input.accountId'],
      ['an empty institution id', VALIDATE_ACCOUNT, { accountId: 'acc-001', institutionId: '' }, 'input.institutionId'],
      ['an id with extra text', VALIDATE_MEMBER, { memberId: 'mem-001; drop', institutionId: 'inst-001' }, 'input.memberId'],
      ['an account id for a member', VALIDATE_MEMBER, { memberId: 'acc-001', institutionId: 'inst-001' }, 'input.memberId'],
      ['a malformed sponsor id', VALIDATE_INSTITUTION, { institutionId: 'inst-001', sponsorId: 'sponsor-1' }, 'input.sponsorId'],
    ])('refuses %s with BAD_USER_INPUT before any upstream call', async (_name, mutation, input, argument) => {
      const before = await upstreamRequests();
      const { status, body } = await ask('OPERATOR', mutation, { input });
      expect(status).toBe(200);
      expect(Object.values(body.data ?? {})).toEqual([null]);
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(await upstreamRequests()).toBe(before);
    });

    it('refuses missing ids and malformed query arguments with BAD_USER_INPUT, fetching nothing', async () => {
      const before = await upstreamRequests();
      const missing = await ask('OPERATOR', VALIDATE_ACCOUNT, { input: { institutionId: 'inst-001' } });
      expect(codes(missing.body)).toEqual(['BAD_USER_INPUT']);
      const badAccount = await ask('ADMIN', ACCOUNT_QUERY, { id: 'account-1', institutionId: 'inst-001' });
      expect(codes(badAccount.body)).toEqual(['BAD_USER_INPUT']);
      for (const year of [1800, 2200]) {
        const badYear = await ask('ADMIN', `query ($year: Int!) { holidays(institutionId: "inst-001", year: $year) { date } }`, { year });
        expect(codes(badYear.body)).toEqual(['BAD_USER_INPUT']);
      }
      expect(await upstreamRequests()).toBe(before);
    });
  });

  describe('the checked-in banking operations', () => {
    const operation = (name: string) => readFileSync(new URL(`../schema/operations/${name}.graphql`, import.meta.url), 'utf8');

    it.each([
      ['banking-account-check', 'OPERATOR', { accountId: 'acc-035', institutionId: 'inst-001' }],
      ['banking-member-check', 'OPERATOR', { memberId: 'mem-003', institutionId: 'inst-001' }],
      ['banking-account-overview', 'ADMIN', { accountId: 'acc-033', institutionId: 'inst-001' }],
      ['banking-holidays', 'ANALYST', { institutionId: 'inst-003', year: 2027 }],
    ] as const)('%s runs for %s without errors', async (name, role, variables) => {
      const { body } = await ask(role, operation(name), variables);
      expect(body.errors).toBeUndefined();
      expect(Object.values(body.data ?? {}).every((value) => value !== null)).toBe(true);
    });
  });
});
