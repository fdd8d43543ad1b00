/**
 * `npm run bench`: the stack with the sandbox upstreams at a fixed added latency, the
 * dashboard widgets' queries driven by autocannon, cold (no cache) and warm. Prints
 * requests/s, latency percentiles, upstream calls per operation and memory.
 * Settings: BENCH_SECONDS (10), BENCH_CONNECTIONS (20), BENCH_UPSTREAM_LATENCY_MS (20).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateSigningKey } from '../sandbox/identity-provider/keys.ts';
import { mintToken } from '../sandbox/identity-provider/mint.ts';
import { startStack, type Stack } from '../scripts/stack.ts';
import { setLogLevel } from '../kit/logger.ts';
import type { Role } from '../kit/roles.ts';
import { measureAlerts } from './alerts.ts';
import { drive, type LoadResult } from './load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const latencyMs = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20);

interface Scenario {
  name: string;
  operation: string;
  variables?: Record<string, unknown>;
  /** Settings for the stack (cold runs turn the cache off). */
  env: Record<string, string>;
  /** Who runs it (default VIEWER). */
  role?: Role;
  /** Which sandbox's requests count as upstream calls. */
  upstream: (stack: Stack) => { requests(): number };
}

const SCENARIOS: Scenario[] = [
  { name: 'plants dashboard, cold (cache off)', operation: 'plants-dashboard', env: { PLANT_API_CACHE_TTL_MS: '0' }, upstream: (s) => s.sandboxes.get('plants')!.running },
  { name: 'plants dashboard, warm cache', operation: 'plants-dashboard', env: {}, upstream: (s) => s.sandboxes.get('plants')!.running },
  { name: 'plant detail, warm cache', operation: 'plant-detail', variables: { id: 'plant-042' }, env: {}, upstream: (s) => s.sandboxes.get('plants')!.running },
  { name: 'payments overview, cold (cache off)', operation: 'payments-overview', env: { STRIPE_CACHE_TTL_MS: '0', STRIPE_QUOTA_PER_MINUTE: '0' }, upstream: (s) => s.sandboxes.get('payments')!.running },
  { name: 'payments overview, warm cache', operation: 'payments-overview', env: {}, upstream: (s) => s.sandboxes.get('payments')!.running },
  { name: 'email health, warm cache', operation: 'email-health', variables: { from: '2026-10-01', to: '2026-10-31' }, env: {}, upstream: (s) => s.sandboxes.get('email-stats')!.running },
  {
    name: 'bank account overview, warm cache',
    operation: 'banking-account-overview',
    variables: { accountId: 'acc-007', institutionId: 'inst-001' },
    env: {},
    role: 'ANALYST',
    upstream: (s) => s.sandboxes.get('banking')!.running,
  },
];

async function run(scenario: Scenario): Promise<LoadResult & { upstreamPerOperation: number; rssMb: number; heapMb: number }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fil-bench-'));
  const stack = await startStack({
    ephemeral: true,
    sandboxFaults: { latencyMs },
    env: { DATA_DIR: dataDir, KEY_PREFIX: `bench-${randomUUID()}:`, LOG_LEVEL: 'error', PLANT_API_HEALTH_PROBE_MS: '3600000', RATE_LIMIT_PLANS: 'basic=1000000000/1000000000', ...scenario.env },
  });
  try {
    const key = await loadOrCreateSigningKey(dataDir);
    const token = await mintToken({ key, issuer: stack.settings.auth.issuer, audience: stack.settings.auth.audience, role: scenario.role ?? 'VIEWER', ttlSeconds: 3600 });
    const query = await readFile(new URL(`../schema/operations/${scenario.operation}.graphql`, import.meta.url), 'utf8');
    const url = stack.gateway!.url;
    // One request first: the connector's token and, for warm runs, the cache.
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables: scenario.variables ?? {} }) });
    const upstream = scenario.upstream(stack);
    const before = upstream.requests();
    const result = await drive({ url, token, query, variables: scenario.variables ?? {}, seconds, connections });
    const memory = process.memoryUsage();
    return {
      ...result,
      upstreamPerOperation: (upstream.requests() - before) / Math.max(1, result.requests),
      rssMb: memory.rss / 2 ** 20,
      heapMb: memory.heapUsed / 2 ** 20,
    };
  } finally {
    await stack.close();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

setLogLevel('error');
console.log(`bench: ${seconds} s per scenario, ${connections} connections, upstream latency ${latencyMs} ms, Node ${process.version}`);
console.log('(all services run in this one process: memory is the whole stack\'s)');
const header = ['scenario', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'upstream/op', 'non-2xx', 'rss MB', 'heap MB'];
const rows: string[][] = [];
for (const scenario of SCENARIOS) {
  const r = await run(scenario);
  rows.push([scenario.name, r.requestsPerSecond.toFixed(0), r.p50.toFixed(0), r.p95.toFixed(0), r.p99.toFixed(0), r.upstreamPerOperation.toFixed(3), String(r.non2xx + r.errors), r.rssMb.toFixed(0), r.heapMb.toFixed(0)]);
  console.log(`  done: ${scenario.name}`);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
console.log(`\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}`);
for (const row of rows) console.log(line(row));

const alertRounds = Number(process.env.BENCH_ALERT_ROUNDS ?? 3);
const alertSubscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 500);
console.log(`\nalerts: ${alertRounds} down/up rounds, then one plant alert to ${alertSubscribers} subscribers`);
const alerts = await measureAlerts({ rounds: alertRounds, subscribers: alertSubscribers });
const stats = (values: number[]) => `min ${Math.min(...values).toFixed(0)} / mean ${(values.reduce((a, b) => a + b, 0) / values.length).toFixed(0)} / max ${Math.max(...values).toFixed(0)} ms`;
console.log(`  probe interval                       ${alerts.probeIntervalMs} ms`);
console.log(`  API down -> API_DOWN at subscriber   ${stats(alerts.downMs)}`);
console.log(`  API up -> API_RESTORED at subscriber ${stats(alerts.restoredMs)}`);
console.log(`  plant alert to ${alerts.subscribers} subscribers      ${alerts.fanOutMs.toFixed(0)} ms until the last one has it (each resolved through the graph)`);
console.log(`  memory for ${alerts.subscribers - 1} idle subscribers       ${(alerts.rssIdleMb - alerts.rssBeforeMb).toFixed(0)} MB rss`);
