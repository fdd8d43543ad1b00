/**
 * Process-wide counters and latency summaries for upstream calls, served as Prometheus
 * text on /metrics by every process. Small on purpose: hooks the pipeline calls.
 */
type Labels = Record<string, string>;

const counters = new Map<string, number>();
const latencies = new Map<string, number[]>();
const LATENCY_WINDOW = 1000;

function id(name: string, labels: Labels): string {
  const rendered = Object.entries(labels)
    .map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, '_')}"`)
    .join(',');
  return `${name}{${rendered}}`;
}

function add(name: string, labels: Labels, by = 1): void {
  if (by === 0) return;
  const key = id(name, labels);
  counters.set(key, (counters.get(key) ?? 0) + by);
}

export const metrics = {
  countCache(api: string, hits: number, misses: number): void {
    add('upstream_cache_hits_total', { api }, hits);
    add('upstream_cache_misses_total', { api }, misses);
  },
  countStale(api: string): void {
    add('upstream_stale_served_total', { api });
  },
  countFailure(api: string, failure: string): void {
    add('upstream_failures_total', { api, failure });
  },
  observeExchange(exchange: { api: string; status: number | 'error'; ms: number }): void {
    add('upstream_requests_total', { api: exchange.api, status: String(exchange.status) });
    const key = exchange.api;
    const window = latencies.get(key) ?? [];
    window.push(exchange.ms);
    if (window.length > LATENCY_WINDOW) window.shift();
    latencies.set(key, window);
  },
  count(name: string, labels: Labels = {}): void {
    add(name, labels);
  },
  /** Prometheus exposition text. */
  render(): string {
    const lines = [...counters].map(([key, value]) => `${key} ${value}`);
    for (const [api, window] of latencies) {
      const sorted = [...window].sort((a, b) => a - b);
      for (const q of [0.5, 0.95, 0.99]) {
        const value = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
        lines.push(`upstream_latency_ms{api="${api}",quantile="${q}"} ${value.toFixed(1)}`);
      }
    }
    return `${lines.sort().join('\n')}\n`;
  },
};
