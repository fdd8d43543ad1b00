/**
 * One service's Prometheus metrics (prom-client), in a registry of its own so that each
 * service's /metrics shows its own series even when `npm start` runs them all in one
 * process. Every metric is defined here once; it joins the registry on first use, so a
 * service lists only what it does. The scrape adds the process metrics and `service`.
 */
import { Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import type { BreakerState } from './health.ts';
import { processMetrics } from './process-metrics.ts';

/**
 * Around the 200 ms budget per answer, with a bound at 400 ms so "p95 above 400 ms" is read
 * off a bucket edge rather than interpolated.
 */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2, 5, 10];

/** Distinct operation names kept as labels; later ones count as `other` (names come from clients). */
const MAX_OPERATION_NAMES = 200;
const AUTH_FAILURE_REASONS = ['missing', 'malformed', 'invalid', 'expired'] as const;
const BREAKER_STATES: readonly BreakerState[] = ['closed', 'half-open', 'open'];

/** What the upstream gauges are read from at each scrape. */
export interface UpstreamReading {
  readonly api: string;
  readonly up: boolean;
  readonly breaker: BreakerState;
  readonly lastSuccessAt: Date | undefined;
}

/** How far audit delivery lags behind the producers. */
export interface AuditBacklog {
  /** Stream entries the store consumer read but has not acknowledged. */
  readonly streamPending: number;
  /** Stream entries the store consumer has not read yet. */
  readonly streamUndelivered: number;
  /** Outbox bytes past the stored offsets. */
  readonly outboxBytes: number;
  /** Time of the oldest event still waiting, if any. */
  readonly oldestUndeliveredAt: Date | undefined;
}

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #joined = new Set<Metric>();
  readonly #operations = new Set<string>();
  readonly #tracked = new Set<string>();

  readonly #latency = new Histogram({
    name: 'api_latency_seconds',
    help: 'Time to answer: GraphQL requests by operation and outcome; upstream HTTP calls by api and status.',
    labelNames: ['operation', 'outcome', 'api', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [],
  });
  readonly #authRequests = new Counter({ name: 'auth_requests_total', help: 'Bearer tokens checked.', registers: [] });
  readonly #authFailures = new Counter({ name: 'auth_failures_total', help: 'Bearer tokens refused, by reason.', labelNames: ['reason'] as const, registers: [] });
  readonly #banners = new Counter({ name: 'downtime_banner_displayed_total', help: 'Answers that carried the downtime banner.', registers: [] });
  readonly #cacheHits = counter('upstream_cache_hits_total', 'Upstream reads answered from a fresh cache entry.', ['api']);
  readonly #cacheMisses = counter('upstream_cache_misses_total', 'Upstream reads that needed a call.', ['api']);
  readonly #stale = counter('upstream_stale_served_total', 'Expired cache entries served because the upstream failed.', ['api']);
  readonly #failures = counter('upstream_failures_total', 'Failed logical upstream calls, by failure kind.', ['api', 'failure']);
  readonly #quotaWaits = counter('upstream_quota_waits_total', 'Calls that waited for outbound quota before going out.', ['api']);
  readonly #quotaWaitSeconds = counter('upstream_quota_wait_seconds_total', 'Time spent waiting for outbound quota.', ['api']);
  readonly #rateLimitRefusals = counter('rate_limit_refusals_total', 'Requests refused by a rate limit (HTTP 429).', ['limit']);
  readonly #alertsPublished = counter('downtime_alerts_published_total', 'Downtime alerts published to the pub/sub.', ['kind']);
  readonly #alertsDelivered = counter('downtime_alerts_delivered_total', 'Downtime alerts pushed to a subscriber.', ['kind']);
  readonly #failedOpen = counter('limits_failed_open_total', 'Requests a rate limit or quota let through because its counter (Redis) could not count.', ['limit']);
  readonly #responseCache = {
    hit: counter('response_cache_hits_total', 'Gateway answers served from the response cache.', []),
    miss: counter('response_cache_misses_total', 'Cacheable gateway queries the response cache did not hold (executed).', []),
    store: counter('response_cache_stores_total', 'Gateway answers stored in the response cache.', []),
    invalidation: counter('response_cache_invalidations_total', 'Changes heard that dropped response cache entries, by cause.', ['cause']),
  };
  readonly #cacheErrors = counter('cache_errors_total', 'Cache operations that failed (Redis away or not answering); reads became misses.', ['cache']);

  readonly service: string;

  constructor(service: string) {
    this.service = service;
  }

  /** One GraphQL answer of this service. */
  observeOperation(operationName: string | undefined, outcome: string, seconds: number): void {
    this.#join(this.#latency).observe({ operation: this.#operationLabel(operationName), outcome }, seconds);
  }

  /** One HTTP exchange with an upstream (each attempt). */
  observeExchange(exchange: { api: string; status: number | 'error'; ms: number }): void {
    this.#join(this.#latency).observe({ api: exchange.api, status: String(exchange.status) }, exchange.ms / 1000);
  }

  countAuth(verdict: { ok: true } | { ok: false; reason: string }): void {
    this.#join(this.#authRequests).inc();
    if (!this.#joined.has(this.#authFailures)) {
      // Every reason at 0 from the first check on, so rates exist before the first failure.
      this.#join(this.#authFailures);
      for (const reason of AUTH_FAILURE_REASONS) this.#authFailures.inc({ reason }, 0);
    }
    if (!verdict.ok) this.#authFailures.inc({ reason: verdict.reason });
  }

  countBannerDisplayed(): void {
    this.#join(this.#banners).inc();
  }

  countCache(api: string, hits: number, misses: number): void {
    this.#join(this.#cacheHits).inc({ api }, hits);
    this.#join(this.#cacheMisses).inc({ api }, misses);
  }

  countStale(api: string): void {
    this.#join(this.#stale).inc({ api });
  }

  countFailure(api: string, failure: string): void {
    this.#join(this.#failures).inc({ api, failure });
  }

  countQuotaWait(api: string, waitMs: number): void {
    this.#join(this.#quotaWaits).inc({ api });
    this.#join(this.#quotaWaitSeconds).inc({ api }, waitMs / 1000);
  }

  countRateLimitRefusal(limit: string): void {
    this.#join(this.#rateLimitRefusals).inc({ limit });
  }

  countLimitFailedOpen(limit: string): void {
    this.#join(this.#failedOpen).inc({ limit });
  }

  /** One event of the gateway's response cache. */
  countResponseCache(event: 'hit' | 'miss' | 'store'): void {
    this.#join(this.#responseCache[event]).inc();
  }

  /** A change (webhook, downtime transition) that dropped response cache entries. */
  countResponseCacheInvalidation(cause: 'entity' | 'downtime'): void {
    this.#join(this.#responseCache.invalidation).inc({ cause });
  }

  countCacheError(cache: string): void {
    this.#join(this.#cacheErrors).inc({ cache });
  }

  countAlertPublished(kind: string): void {
    this.#join(this.#alertsPublished).inc({ kind });
  }

  countAlertDelivered(kind: string): void {
    this.#join(this.#alertsDelivered).inc({ kind });
  }

  /** Series at 0 for an upstream as soon as it is wired, so rates exist from the start. */
  declareUpstream(api: string): void {
    this.countCache(api, 0, 0);
    this.#join(this.#stale).inc({ api }, 0);
  }

  /** Upstream state gauges, read from `read` at each scrape. */
  trackUpstreams(read: () => readonly UpstreamReading[]): void {
    const up = gauge('upstream_up', '1 while the upstream answers (its calls, breaker and health probe agree), 0 while it is down.', ['api']);
    const breaker = gauge('upstream_breaker_state', '1 for the current state of the circuit breaker (closed, half-open, open), 0 for the others.', ['api', 'state']);
    const lastSuccess = gauge('upstream_last_success_timestamp_seconds', 'When the upstream last answered successfully (Unix seconds).', ['api']);
    this.#onScrape('upstreams', [up, breaker, lastSuccess], () => {
      for (const reading of read()) {
        up.set({ api: reading.api }, reading.up ? 1 : 0);
        for (const state of BREAKER_STATES) breaker.set({ api: reading.api, state }, reading.breaker === state ? 1 : 0);
        if (reading.lastSuccessAt) lastSuccess.set({ api: reading.api }, reading.lastSuccessAt.getTime() / 1000);
      }
    });
  }

  /** The gauge of live downtime subscriptions, read from `count` at each scrape. */
  trackSubscriptions(count: () => number): void {
    const active = gauge('downtime_subscriptions_active', 'Live downtime subscriptions (graphql-ws and SSE).', []);
    this.#onScrape('subscriptions', [active], () => active.set(count()));
  }

  /** Audit delivery backlog gauges, measured at each scrape. */
  trackAuditBacklog(measure: () => Promise<AuditBacklog>): void {
    const pending = gauge('audit_stream_pending_entries', 'Audit stream entries read by the store consumer but not yet acknowledged.', []);
    const undelivered = gauge('audit_stream_undelivered_entries', 'Audit stream entries not yet read by the store consumer.', []);
    const outbox = gauge('audit_outbox_backlog_bytes', 'Bytes of local audit outbox files not yet stored.', []);
    const oldest = gauge('audit_oldest_undelivered_age_seconds', 'Age of the oldest audit event not yet stored (0 when none waits).', []);
    this.#onScrape('audit-backlog', [pending, undelivered, outbox, oldest], async () => {
      const backlog = await measure();
      pending.set(backlog.streamPending);
      undelivered.set(backlog.streamUndelivered);
      outbox.set(backlog.outboxBytes);
      oldest.set(backlog.oldestUndeliveredAt ? Math.max(0, (Date.now() - backlog.oldestUndeliveredAt.getTime()) / 1000) : 0);
    });
  }

  /** Prometheus text exposition: this service's metrics and the process's, all labelled `service`. */
  async render(): Promise<string> {
    const merged = Registry.merge([this.registry, processMetrics()]);
    merged.setDefaultLabels({ service: this.service });
    return merged.metrics();
  }

  readonly contentType = this.registry.contentType;

  #join<T extends Metric>(metric: T): T {
    if (!this.#joined.has(metric)) {
      this.registry.registerMetric(metric);
      this.#joined.add(metric);
    }
    return metric;
  }

  /**
   * Gauges refreshed together, once per scrape: the registry reads them concurrently, so each
   * waits on the one refresh in flight rather than starting its own. Tracking twice is a no-op.
   */
  #onScrape(group: string, gauges: readonly Gauge<string>[], refresh: () => void | Promise<void>): void {
    if (this.#tracked.has(group)) return;
    this.#tracked.add(group);
    let inFlight: Promise<void> | undefined;
    const refreshOnce = () =>
      (inFlight ??= (async () => {
        for (const metric of gauges) metric.reset();
        // A failed measurement leaves the gauges empty for this scrape; the rest still renders.
        await Promise.resolve().then(refresh).catch(() => undefined);
      })().finally(() => {
        inFlight = undefined;
      }));
    for (const metric of gauges) {
      (metric as unknown as { collect: () => Promise<void> }).collect = refreshOnce;
      this.#join(metric);
    }
  }

  #operationLabel(name: string | undefined): string {
    if (!name) return 'anonymous';
    if (this.#operations.has(name)) return name;
    if (this.#operations.size >= MAX_OPERATION_NAMES) return 'other';
    this.#operations.add(name);
    return name;
  }
}

function counter<T extends string>(name: string, help: string, labelNames: readonly T[]): Counter<T> {
  return new Counter({ name, help, labelNames, registers: [] });
}

function gauge<T extends string>(name: string, help: string, labelNames: readonly T[]): Gauge<T> {
  return new Gauge({ name, help, labelNames, registers: [] });
}
