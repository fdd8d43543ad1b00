/**
 * Rate limits an upstream announces on every answer (`X-RateLimit-Limit`, `-Remaining`,
 * `-Reset` in unix seconds, as SendGrid and GitHub send them). The gate learns the current
 * window from the answers and, once nothing remains, holds calls until the announced reset
 * instead of spending requests on 429s. It is an OutboundQuota, so its wait happens where the
 * quota's does: before each attempt, outside the timeout, retries included.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboundQuota } from './quota.ts';
import { metrics } from '../../kit/metrics.ts';
import { UpstreamError } from './upstream-error.ts';

export interface RateLimitGate extends OutboundQuota {
  /** Reads the rate-limit headers of one upstream answer, whatever its status. */
  observe(headers: Headers): void;
}

export interface RateLimitGateOptions {
  api: string;
  /** Longest a caller waits for the window to reset. @default 65_000 (one minute window and a little) */
  maxWaitMs?: number;
  /** Waited beyond the announced reset, for clock skew and whole-second rounding. @default 250 */
  skewMs?: number;
  /** How often a caller looks again while the next window is not announced yet. @default 100 */
  pollMs?: number;
  /** Header names. @default X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset */
  headers?: { limit: string; remaining: string; reset: string };
}

interface Window {
  /** Calls still allowed, counting the ones sent but not yet answered. */
  remaining: number;
  /** When the window closes (ms). */
  resetAt: number;
  /**
   * Assumed after a reset, not yet announced by an answer. It still ends by itself, one
   * window length on: if no answer comes (timeouts, an outage), the gate must not stay shut.
   */
  assumed?: boolean;
}

const X_RATE_LIMIT = { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset' };

export function rateLimitGate(options: RateLimitGateOptions): RateLimitGate {
  const { api, maxWaitMs = 65_000, skewMs = 250, pollMs = 100, headers: names = X_RATE_LIMIT } = options;
  let limit: number | undefined;
  let window: Window | undefined;
  let windowMs = 60_000;

  return {
    async acquire(onWait) {
      const deadline = Date.now() + maxWaitMs;
      for (let waited = false; ; waited = true) {
        const now = Date.now();
        if (window && now >= window.resetAt + skewMs) {
          // The window is over: assume a fresh one until an answer announces it.
          window = limit === undefined ? undefined : { remaining: limit, resetAt: now + windowMs, assumed: true };
        }
        if (!window || window.remaining > 0) {
          if (window) window.remaining -= 1;
          return;
        }
        const wait = Math.max(pollMs, window.resetAt + skewMs - now);
        if (now + wait > deadline) throw new UpstreamError(api, 'throttled', `${api} rate limit spent until its window resets`);
        if (!waited) onWait?.();
        metrics.countQuotaWait(api, wait);
        await sleep(wait);
      }
    },
    observe(headers) {
      const announcedLimit = wholeNumber(headers.get(names.limit));
      const remaining = wholeNumber(headers.get(names.remaining));
      const reset = wholeNumber(headers.get(names.reset));
      if (announcedLimit !== undefined) limit = announcedLimit;
      if (remaining === undefined || reset === undefined) return;
      const resetAt = reset * 1000;
      if (!window || window.assumed || resetAt > window.resetAt) {
        if (window && !window.assumed && resetAt > window.resetAt) windowMs = Math.min(60_000, Math.max(1000, resetAt - window.resetAt));
        window = { remaining, resetAt };
      } else if (window.resetAt === resetAt) {
        // Answers to calls in flight arrive in any order: within one window the lowest count is the truth.
        window = { remaining: Math.min(window.remaining, remaining), resetAt };
      }
      // An answer about an older window than the one known says nothing new.
    },
  };
}

function wholeNumber(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}
