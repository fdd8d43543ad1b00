/**
 * What one running service tells its operators: its metrics, the upstreams it watches
 * (for /health and the upstream gauges) and its readiness checks. Each service start makes
 * one; code finds the one it works for through the async context (service-scope.ts).
 */
import { ReadinessChecks } from './readiness.ts';
import { ServiceMetrics, type UpstreamReading } from './service-metrics.ts';
import type { UpstreamHealth } from './health.ts';
import type { BreakerState } from './health.ts';

/** What is watched of an upstream (an `Upstream` is one). */
export interface WatchedUpstream {
  readonly api: string;
  readonly health: UpstreamHealth;
  readonly resilience: { breakerState(): BreakerState; onBreakerChange(listener: (state: BreakerState) => void): void };
}

export class ServiceTelemetry {
  readonly metrics: ServiceMetrics;
  readonly readiness = new ReadinessChecks();
  readonly #upstreams: WatchedUpstream[] = [];

  readonly service: string;

  constructor(service: string) {
    this.service = service;
    this.metrics = new ServiceMetrics(service);
  }

  get upstreams(): readonly WatchedUpstream[] {
    return this.#upstreams;
  }

  addUpstream(upstream: WatchedUpstream): void {
    if (this.#upstreams.includes(upstream)) return;
    this.#upstreams.push(upstream);
    this.metrics.declareUpstream(upstream.api);
    this.metrics.trackUpstreams(() => this.upstreamReadings());
  }

  upstreamReadings(): UpstreamReading[] {
    return this.#upstreams.map(({ api, health, resilience }) => ({
      api,
      up: health.state.up,
      breaker: resilience.breakerState(),
      lastSuccessAt: health.lastSuccessAt,
    }));
  }
}

export function createServiceTelemetry(service: string): ServiceTelemetry {
  return new ServiceTelemetry(service);
}
