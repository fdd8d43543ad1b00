/**
 * The outbound quota towards Google Analytics (10 requests a window): reports beyond it
 * wait for the next window instead of going out, and none is refused or lost.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sandboxRequests, startTestStack, type TestStack } from './support/stack.ts';

const PER_WINDOW = 10;
const WINDOW_MS = 1000;
const TRAFFIC = `query ($from: Date!, $to: Date!) { webTraffic(from: $from, to: $to) { date sessions } }`;

describe('Google Analytics outbound quota', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // The seed figure per window, on a window short enough to test.
    stack = await startTestStack({ env: { GOOGLE_ANALYTICS_QUOTA_WINDOW_MS: String(WINDOW_MS) } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it(`sends at most ${PER_WINDOW} reports a window: the others wait, none is refused or lost`, async () => {
    expect(stack.upstreams.googleAnalytics.policy.quotaPerMinute).toBe(PER_WINDOW);
    await stack.resetSandboxes();
    const token = await stack.token('VIEWER');
    const reports = 2 * PER_WINDOW + 1;
    const started = Date.now();
    // All at once: without the quota they would be answered in a few milliseconds.
    const answers = await Promise.all(
      Array.from({ length: reports }, (_, i) => stack.query(TRAFFIC, { token, variables: { from: '2026-05-01', to: `2026-05-${String(i + 1).padStart(2, '0')}` } })),
    );
    expect(answers.map(({ body }) => body.errors)).toEqual(answers.map(() => undefined));
    // Every report went out once, plus the one token request (not counted by the quota).
    expect(await sandboxRequests(stack.googleAnalytics.url)).toBe(reports + 1);
    // 21 reports at 10 a window span at least three windows, so at least two window starts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS);
  });
});
