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
  /** Requests each sandbox upstream has answered, by its subgraph's name. */
  readonly upstreamRequests: Record<string, number>;
}

const settings = loadSettings();
configureLogging({ level: settings.logLevel, format: settings.logFormat });
const stack = await startStack({ ephemeral: true, withoutGateway: true, sandboxFaults: { latencyMs: readBenchSettings().upstreamLatencyMs } });

const control = createServer((_request, response) => {
  const report: TierReport = {
    env: { ...stack.env },
    upstreamRequests: Object.fromEntries([...stack.sandboxes].map(([name, sandbox]) => [name, sandbox.running.requests()])),
  };
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
stopOnSignal(async () => {
  control.close();
  await stack.close();
});
console.log(`subgraph tier listening on http://127.0.0.1:${(control.address() as AddressInfo).port}`);
