/**
 * The metrics of the service the running code works for (see service-scope.ts), for code
 * deep in the pipeline that is handed no service: connectors, the upstream pipeline, quotas,
 * resolvers. Each call finds the service when it runs, never when it was wired. Code that
 * holds its service's telemetry can use `telemetry.metrics` directly.
 */
import type { ServiceMetrics } from './service-metrics.ts';
import { currentTelemetry } from './service-scope.ts';

const current = (): ServiceMetrics => currentTelemetry().metrics;

export const metrics = {
  countCache: (api: string, hits: number, misses: number): void => current().countCache(api, hits, misses),
  countStale: (api: string): void => current().countStale(api),
  countFailure: (api: string, failure: string): void => current().countFailure(api, failure),
  observeExchange: (exchange: { api: string; status: number | 'error'; ms: number }): void => current().observeExchange(exchange),
  countAuth: (verdict: { ok: true } | { ok: false; reason: string }): void => current().countAuth(verdict),
  countBannerDisplayed: (): void => current().countBannerDisplayed(),
  countQuotaWait: (api: string, waitMs: number): void => current().countQuotaWait(api, waitMs),
  countRateLimitRefusal: (limit: string): void => current().countRateLimitRefusal(limit),
  countAlertPublished: (kind: string): void => current().countAlertPublished(kind),
  countLimitFailedOpen: (limit: string): void => current().countLimitFailedOpen(limit),
  countCacheError: (cache: string): void => current().countCacheError(cache),
};
