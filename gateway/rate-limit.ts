/**
 * Per-caller rate limits by plan, as the Storm API describes them: requests an hour, and at
 * most a burst within a shorter window (Basic 1,000/h with bursts of 100, Professional
 * 10,000/500, Enterprise 100,000/2,000). The plan comes from the token (`plan` claim, else
 * the deployment's default). Both windows are counted in Redis when configured, so every
 * replica shares one budget per caller. Over either, the request ends with HTTP 429,
 * RATE_LIMITED and Retry-After; every answer carries the hourly X-RateLimit-* headers, and
 * X-RateLimit-Burst-* for the short window. A counter outage lets requests through (and
 * counts that).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Settings } from '../config/settings.ts';
import type { Caller } from '../kit/auth.ts';
import { rateLimited } from '../kit/errors.ts';
import { metrics } from '../kit/metrics.ts';
import { windowCounter, type WindowCounter } from '../kit/window-counter.ts';
import type { GatewayContext, RateLimitState } from './context.ts';

export type { RateLimitState } from './context.ts';

export interface CallerRateLimit {
  /** Counts one request of the caller; throws RATE_LIMITED past its plan. */
  take(caller: Pick<Caller, 'subject' | 'plan'>): Promise<RateLimitState>;
}

export function callerRateLimit(settings: Pick<Settings, 'limits' | 'redisUrl' | 'keyPrefix'>): CallerRateLimit {
  const counter = windowCounter({ redisUrl: settings.redisUrl, prefix: `${settings.keyPrefix}ratelimit:` });
  const { plans, windowMs, burstWindowMs } = settings.limits.rate;
  return {
    async take({ subject, plan }) {
      const { perHour, burst } = plans[plan];
      const now = Date.now();
      const [hour, short] = await Promise.all([window(counter, `hour:${subject}`, now, windowMs), window(counter, `burst:${subject}`, now, burstWindowMs)]);
      const state: RateLimitState = {
        limit: perHour,
        remaining: Math.max(0, perHour - hour.count),
        reset: hour.reset,
        burst: { limit: burst, remaining: Math.max(0, burst - short.count), reset: short.reset },
      };
      const over = hour.count > perHour ? hour : short.count > burst ? short : undefined;
      if (over) {
        metrics.countRateLimitRefusal(over === hour ? 'caller' : 'caller-burst');
        throw rateLimited(Math.max(1, over.reset - Math.floor(now / 1000)), rateLimitHeaders(state));
      }
      return state;
    },
  };
}

async function window(counter: WindowCounter, key: string, now: number, windowMs: number): Promise<{ count: number; reset: number }> {
  const windowStart = now - (now % windowMs);
  const count = await counter.take(key, windowStart, windowMs).catch(() => {
    metrics.countLimitFailedOpen('rate-limit');
    return 0;
  });
  return { count, reset: Math.ceil((windowStart + windowMs) / 1000) };
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': String(state.reset),
    ...(state.burst
      ? { 'X-RateLimit-Burst-Limit': String(state.burst.limit), 'X-RateLimit-Burst-Remaining': String(state.burst.remaining), 'X-RateLimit-Burst-Reset': String(state.burst.reset) }
      : {}),
  };
}

/** Puts the caller's rate-limit state on every answer. */
export const rateLimitHeadersPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        if (!contextValue.rateLimit) return;
        for (const [name, value] of Object.entries(rateLimitHeaders(contextValue.rateLimit))) response.http.headers.set(name, value);
      },
    };
  },
};
