/** Outbound quota waits show in upstream_quota_waits_total and _wait_seconds_total of the service waiting. */
import { describe, expect, it } from '@jest/globals';
import { createQuota } from '../subgraphs/kit/quota.ts';
import { runInService } from '../kit/service-scope.ts';
import { createServiceTelemetry } from '../kit/service-telemetry.ts';
import { parseExposition, valueOf } from './support/prometheus.ts';

describe('quota metrics', () => {
  it('counts a call that waited for the next quota window, in the service that waited', async () => {
    const payments = createServiceTelemetry('payments');
    const quota = createQuota({ api: 'stripe', perMinute: 1, windowMs: 300, keyPrefix: `test-${Date.now()}:` })!;
    await runInService(payments, async () => {
      await quota.acquire(); // the window's one slot
      await quota.acquire(); // waits for the next window
    });
    const samples = parseExposition(await payments.metrics.render());
    // At least one wait (a timer may wake a millisecond before the wall clock's window turns, and wait again).
    expect(valueOf(samples, 'upstream_quota_waits_total', { api: 'stripe', service: 'payments' })).toBeGreaterThanOrEqual(1);
    const waited = valueOf(samples, 'upstream_quota_wait_seconds_total', { api: 'stripe' });
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThanOrEqual(0.35);
    expect(parseExposition(await createServiceTelemetry('plants').metrics.render()).some((sample) => sample.name.startsWith('upstream_quota'))).toBe(false);
  });
});
