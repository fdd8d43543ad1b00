/**
 * The subgraph tier as one process of its own (`node bench/subgraph-tier.ts`): every
 * subgraph of the registry, the identity provider and every sandbox upstream at the added
 * latency BENCH_UPSTREAM_LATENCY_MS, on free ports. It announces a small control address
 * the bench reads from: the environment a gateway needs to join the tier (subgraph URLs,
 * issuer, internal-token secret) and how many requests each sandbox has answered.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stopOnSignal } from '../kit/lifecycle.ts';
import { configureLogging } from '../kit/logger.ts';
import { loadSettings } from '../config/settings.ts';
import { startStack } from '../scripts/stack.ts';
import { readBenchSettings } from './settings.ts';

/** What the control address answers. */
export interface TierReport {
  /** The environment a gateway of this tier runs with. */
  readonly env: Record<string, string | undefined>;
  /** Each sandbox upstream, by its subgraph's name: its base URL and the requests it has answered. */
  readonly sandboxes: Record<string, { readonly url: string; readonly requests: number }>;
}

const settings = loadSettings();
configureLogging({ level: settings.logLevel, format: settings.logFormat });
const stack = await startStack({ ephemeral: true, withoutGateway: true, sandboxFaults: { latencyMs: readBenchSettings().upstreamLatencyMs } });

const control = createServer((_request, response) => {
  const report: TierReport = {
    env: { ...stack.env },
    sandboxes: Object.fromEntries([...stack.sandboxes].map(([name, { running }]) => [name, { url: running.url, requests: running.requests() }])),
  };
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
stopOnSignal(async () => {
  control.close();
  await stack.close();
});
console.log(`subgraph tier listening on http://127.0.0.1:${(control.address() as AddressInfo).port}`);
