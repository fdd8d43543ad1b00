/**
 * prom-client's default process metrics (CPU, memory, event-loop lag, GC, handles), collected
 * once per process and shown on every service's /metrics: with `npm start` the services
 * share one process, so they share these numbers too.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

/** The process metrics' registry, made (and its collectors started) on the first scrape. */
export function processMetrics(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
