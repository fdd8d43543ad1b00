/**
 * Rate limits at the gateway: a fixed window of N GraphQL requests per key, counted in Redis
 * when configured so every replica shares it. Verified callers are counted by token subject;
 * requests whose token is refused, by network address, so a flood of bad tokens is turned
 * away before it becomes a flood of audit rows. Over the limit the request ends with HTTP
 * 429, RATE_LIMITED, Retry-After and X-RateLimit-* headers; within it the same headers tell
 * the caller where it stands.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Settings } from '../config/settings.ts';
import { rateLimited } from '../kit/errors.ts';
import { metrics } from '../kit/metrics.ts';
import { windowCounter, type WindowCounter } from '../kit/window-counter.ts';
import type { GatewayContext, RateLimitState } from './context.ts';

export type { RateLimitState } from './context.ts';


export interface RateLimit {
  /** Counts one request for key; throws RATE_LIMITED past the limit. */
  take(key: string): Promise<RateLimitState | undefined>;
}

export interface GatewayRateLimits {
  /** Verified callers, by token subject. */
  readonly callers: RateLimit;
  /** Requests whose token was refused, by network address. */
  readonly refused: RateLimit;
}

export function gatewayRateLimits(settings: Pick<Settings, 'gateway' | 'redisUrl' | 'keyPrefix'>): GatewayRateLimits {
  const counter = windowCounter({ redisUrl: settings.redisUrl, prefix: `${settings.keyPrefix}ratelimit:` });
  const { rateLimitPerMinute, refusedRateLimitPerMinute, rateLimitWindowMs: windowMs } = settings.gateway;
  return {
    callers: fixedWindow(counter, 'caller:', rateLimitPerMinute, windowMs),
    refused: fixedWindow(counter, 'refused:', refusedRateLimitPerMinute, windowMs),
  };
}

function fixedWindow(counter: WindowCounter, prefix: string, limit: number, windowMs: number): RateLimit {
  return {
    async take(key) {
      if (limit <= 0) return undefined;
      const now = Date.now();
      const windowStart = now - (now % windowMs);
      const state = { limit, remaining: 0, reset: Math.ceil((windowStart + windowMs) / 1000) };
      // A counter outage must not stop traffic: the request goes through, and that is counted.
      const count = await counter.take(`${prefix}${key}`, windowStart, windowMs).catch(() => {
        metrics.countLimitFailedOpen('rate-limit');
        return 0;
      });
      if (count > limit) metrics.countRateLimitRefusal(prefix.replace(/:$/, ''));
      if (count > limit) throw rateLimited(Math.max(1, state.reset - Math.floor(now / 1000)), rateLimitHeaders(state));
      return { ...state, remaining: limit - count };
    },
  };
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return { 'X-RateLimit-Limit': String(state.limit), 'X-RateLimit-Remaining': String(state.remaining), 'X-RateLimit-Reset': String(state.reset) };
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
