/**
 * The banking subgraph's pipeline against the core banking sandbox with faults switched on:
 * retries and the short cache seen in the sandbox's request counts, the breaker opening
 * after five failed calls and then failing fast, and closing again after half-open.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Env } from '../config/read-env.ts';
import { eventually, sandboxRequests, setFaults, startTestStack, type TestStack } from './support/stack.ts';

const VALIDATE_ACCOUNT = `mutation ($input: ValidateAccountInput!) { validateAccount(input: $input) { valid errors { code } } }`;
const ACCOUNT_QUERY = `query ($id: ID!) { account(id: $id, institutionId: "inst-001") { id status } }`;

/** Short retry delays; the breaker keeps its seed figures unless a test says otherwise. */
const FAST_RETRIES: Env = { CORE_BANKING_RETRY_INITIAL_DELAY_MS: '5', CORE_BANKING_RETRY_MAX_DELAY_MS: '20' };

function bankingFixture(env: Env) {
  const fixture = {
    stack: undefined as unknown as TestStack,
    admin: () => ({ dispatcher: fixture.stack.coreBankingAgent }),
    upstreamRequests: () => sandboxRequests(fixture.stack.coreBanking.url, fixture.admin()),
    faults: (faults: Record<string, unknown>) => setFaults(fixture.stack.coreBanking.url, faults, fixture.admin()),
    async validate(accountId: string) {
      const { body } = await fixture.stack.query<{ validateAccount: { valid: boolean } | null }>(VALIDATE_ACCOUNT, {
        token: await fixture.stack.token('OPERATOR'),
        variables: { input: { accountId, institutionId: 'inst-001' } },
      });
      return { valid: body.data?.validateAccount?.valid, code: body.errors?.[0]?.extensions?.code };
    },
  };
  beforeAll(async () => {
    fixture.stack = await startTestStack({ env: { ...FAST_RETRIES, ...env } });
    // The first call also fetches the OAuth2 token; counts below are about validations only.
    expect((await fixture.validate('acc-001')).valid).toBe(true);
  });
  afterAll(async () => {
    await fixture.stack?.close();
  });
  return fixture;
}

describe('banking resilience with the seed breaker (5 failures, 1000 ms timeout, half-open after 60 s)', () => {
  const banking = bankingFixture({});

  it('asks the platform once for the same validation twice, and shares the answer with queries', async () => {
    const before = await banking.upstreamRequests();
    expect(await banking.validate('acc-002')).toEqual({ valid: true, code: undefined });
    expect(await banking.validate('acc-002')).toEqual({ valid: true, code: undefined });
    expect(await banking.upstreamRequests()).toBe(before + 1);

    const { body } = await banking.stack.query(ACCOUNT_QUERY, { token: await banking.stack.token('ANALYST'), variables: { id: 'acc-002' } });
    expect(body.data).toEqual({ account: { id: 'acc-002', status: 'OPEN' } });
    expect(await banking.upstreamRequests()).toBe(before + 1);
  });

  it('retries a failing validation up to the policy attempts, then answers UPSTREAM_ERROR', async () => {
    const attempts = banking.stack.upstreams.coreBanking.policy.retryAttempts;
    expect(attempts).toBe(3);
    await banking.faults({ errorRate: 1 });
    const before = await banking.upstreamRequests();
    expect(await banking.validate('acc-003')).toEqual({ valid: undefined, code: 'UPSTREAM_ERROR' });
    expect(await banking.upstreamRequests()).toBe(before + attempts);

    // Failures are not cached: once the platform recovers the same question is answered.
    await banking.faults({ errorRate: 0 });
    expect(await banking.validate('acc-003')).toEqual({ valid: true, code: undefined });
  });

  it('opens the breaker after 5 failed calls, then fails fast without calling the platform', async () => {
    const { breakerFailures, timeoutMs } = banking.stack.upstreams.coreBanking.policy;
    expect(breakerFailures).toBe(5);
    await banking.faults({ down: true });
    for (let call = 1; call <= breakerFailures; call += 1) {
      const before = await banking.upstreamRequests();
      expect(await banking.validate(`acc-01${call}`)).toEqual({ valid: undefined, code: 'UPSTREAM_UNAVAILABLE' });
      expect(await banking.upstreamRequests()).toBeGreaterThan(before);
    }

    // A slow platform now would cost a full timeout per attempt; an open breaker costs nothing.
    await banking.faults({ latencyMs: 3 * timeoutMs });
    const before = await banking.upstreamRequests();
    const started = performance.now();
    expect(await banking.validate('acc-020')).toEqual({ valid: undefined, code: 'UPSTREAM_UNAVAILABLE' });
    expect(performance.now() - started).toBeLessThan(timeoutMs / 2);
    const query = await banking.stack.query(ACCOUNT_QUERY, { token: await banking.stack.token('ADMIN'), variables: { id: 'acc-021' } });
    expect(query.body.data?.account).toBeNull();
    expect(query.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(await banking.upstreamRequests()).toBe(before);
  });
});

describe('banking resilience with a short half-open delay', () => {
  const banking = bankingFixture({ CORE_BANKING_BREAKER_HALF_OPEN_AFTER_MS: '200' });

  it('tries the platform again after half-open and closes once it answers', async () => {
    await banking.faults({ down: true });
    for (let call = 1; call <= 5; call += 1) expect((await banking.validate(`acc-01${call}`)).code).toBe('UPSTREAM_UNAVAILABLE');

    await banking.faults({ down: false });
    // The first call after the half-open delay is the trial; it succeeds and closes the breaker.
    await eventually(async () => ((await banking.validate('acc-020')).valid === true ? true : undefined), { timeoutMs: 10_000, everyMs: 50 });

    const before = await banking.upstreamRequests();
    expect(await banking.validate('acc-021')).toEqual({ valid: true, code: undefined });
    expect(await banking.validate('acc-022')).toEqual({ valid: true, code: undefined });
    expect(await banking.upstreamRequests()).toBe(before + 2);
  });
});
