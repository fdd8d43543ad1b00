/**
 * What operators hear about an upstream: it is listed on the service's /health and in the
 * upstream gauges, and its breaker changes and outages are logged at warn (recoveries at info).
 */
import { logger } from '../../kit/logger.ts';
import { currentTelemetry } from '../../kit/service-scope.ts';
import type { WatchedUpstream } from '../../kit/service-telemetry.ts';

/** Registers an upstream with the service the running code works for. */
export function watchUpstream(upstream: WatchedUpstream): void {
  const telemetry = currentTelemetry();
  telemetry.addUpstream(upstream);
  const service = telemetry.service;
  upstream.resilience.onBreakerChange((state) => logger.warn('circuit breaker changed', { service, api: upstream.api, breaker: state }));
  upstream.health.onChange(({ up, since, first }) => {
    if (first && up) return; // up at start is no news
    const fields = { service, api: upstream.api, since: since.toISOString() };
    if (up) logger.info('upstream restored', fields);
    else logger.warn('upstream down', fields);
  });
}
