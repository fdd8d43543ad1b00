/**
 * Outbound quota towards one upstream: at most N requests per minute window. With Redis the
 * window counter is shared by every replica; without it, it is per process. A caller that
 * finds the window full waits for the next one, up to a bound, rather than spending the
 * upstream's patience on 429s.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { metrics } from '../../kit/metrics.ts';
import { UpstreamError } from './upstream-error.ts';
import { windowCounter } from '../../kit/window-counter.ts';

export interface OutboundQuota {
  /**
   * Resolves when one request may go out; rejects with a throttled UpstreamError past
   * maxWaitMs. `onWait` hears that it has to wait, before it does.
   */
  acquire(onWait?: () => void): Promise<void>;
}

export interface QuotaOptions {
  api: string;
  perMinute: number;
  redisUrl?: string | undefined;
  /** Prefix of the shared Redis key (settings.keyPrefix). */
  keyPrefix?: string;
  /** Longest a caller waits for a slot. @default 65_000 (one window and a little) */
  maxWaitMs?: number;
  windowMs?: number;
}

export function createQuota(options: QuotaOptions): OutboundQuota | undefined {
  const { api, perMinute, redisUrl, keyPrefix = '', maxWaitMs = 65_000, windowMs = 60_000 } = options;
  if (perMinute <= 0) return undefined;
  const counter = windowCounter({ redisUrl, prefix: `${keyPrefix}quota:` });
  return {
    async acquire(onWait) {
      const deadline = Date.now() + maxWaitMs;
      for (let waited = false; ; waited = true) {
        const now = Date.now();
        const windowStart = now - (now % windowMs);
        // A counter that cannot count (Redis down) lets the request go: the upstream still guards itself.
        const taken = await counter.take(api, windowStart, windowMs).catch(() => {
          metrics.countLimitFailedOpen(`quota ${api}`);
          return 0;
        });
        if (taken <= perMinute) return;
        const wait = windowStart + windowMs - now;
        if (now + wait > deadline) throw new UpstreamError(api, 'throttled', `outbound quota of ${perMinute}/min spent`);
        if (!waited) onWait?.();
        metrics.countQuotaWait(api, wait);
        await sleep(wait);
      }
    },
  };
}

/** Several quotas taken in order (an upstream's announced window, then our own budget). */
export function allQuotas(...quotas: (OutboundQuota | undefined)[]): OutboundQuota | undefined {
  const present = quotas.filter((quota): quota is OutboundQuota => quota !== undefined);
  if (present.length <= 1) return present[0];
  return {
    async acquire(onWait) {
      for (const quota of present) await quota.acquire(onWait);
    },
  };
}
