/**
 * Alternating rounds: in each round every scenario drives every gateway once, the order
 * of the gateways rotated from round to round so none always runs first (or on the
 * warmest machine). Each drive waits for the subgraph tier to go quiet after the last
 * (settle.ts), so none pays for work another left behind. Around each drive the bench reads the gateway's and the subgraph
 * tier's CPU time, the sandboxes' request counters and, every 200 ms, the gateway's
 * resident memory; the rounds of one scenario and gateway add up to one measurement.
 */
import { cpuSeconds, rssMb } from './proc-stats.ts';
import { drive } from './load.ts';
import { settled } from './settle.ts';
import type { Scenario } from './scenarios.ts';
import { loadRequests, send, type GatewayUnderTest, type TierUnderTest, type TokenFor } from './under-test.ts';

export interface Measurement {
  readonly scenario: string;
  readonly gateway: string;
  readonly ours: boolean;
  requests: number;
  seconds: number;
  /** Answers other than 2xx, and connection errors and timeouts. */
  failed: number;
  /** Answers carrying GraphQL errors. */
  withErrors: number;
  /** Their error codes, each counted once per answer. */
  errorCodes: Record<string, number>;
  /** Answers the gateway's response cache served. */
  cacheHits: number;
  latencies: number[];
  /** CPU seconds used while driven (undefined: unknown on this platform). */
  gatewayCpuSeconds: number | undefined;
  tierCpuSeconds: number | undefined;
  upstreamCalls: number;
  peakRssMb: number | undefined;
}

export interface RoundOptions {
  readonly scenarios: readonly Scenario[];
  readonly gateways: readonly GatewayUnderTest[];
  readonly tier: TierUnderTest;
  readonly tokenFor: TokenFor;
  readonly rounds: number;
  readonly seconds: number;
  /** Of the scenarios that do not name their own. */
  readonly connections: number;
  /** Before each drive, once the tier went quiet (or was given up on) after the last. */
  readonly onDrive?: (scenario: string, gateway: string, round: number, quiet: { quiet: boolean; waitedMs: number }) => void;
}

const RSS_SAMPLE_MS = 200;

export async function runRounds(options: RoundOptions): Promise<Measurement[]> {
  const measurements = new Map<string, Measurement>();
  for (let round = 0; round < options.rounds; round += 1) {
    for (const scenario of options.scenarios) {
      for (const gateway of rotated(options.gateways, round)) {
        const quiet = await settled(options.tier.pid);
        options.onDrive?.(scenario.name, gateway.name, round + 1, quiet);
        const key = `${scenario.name}\u0000${gateway.name}`;
        const measured = await driveOnce(scenario, gateway, options);
        const sum = measurements.get(key);
        if (!sum) measurements.set(key, measured);
        else addTo(sum, measured);
      }
    }
  }
  // In the order of the scenarios, then of the gateways as given.
  return options.scenarios.flatMap((scenario) => options.gateways.map((gateway) => measurements.get(`${scenario.name}\u0000${gateway.name}`)!));
}

async function driveOnce(scenario: Scenario, gateway: GatewayUnderTest, options: RoundOptions): Promise<Measurement> {
  const requests = loadRequests(gateway, scenario.operations, options.tokenFor);
  // Each operation once first: connections, the gateway's plans and, warm, its caches.
  for (const request of requests) await send(gateway, request);
  const cpuBefore = [cpuSeconds(gateway.pid), cpuSeconds(options.tier.pid)];
  const upstreamBefore = await options.tier.upstreamRequests();
  let peakRssMb = rssMb(gateway.pid);
  const sampler = setInterval(() => {
    const now = rssMb(gateway.pid);
    if (now !== undefined) peakRssMb = Math.max(peakRssMb ?? 0, now);
  }, RSS_SAMPLE_MS);
  try {
    const result = await drive({ url: gateway.url, requests, seconds: options.seconds, connections: scenario.connections ?? options.connections });
    const cpuAfter = [cpuSeconds(gateway.pid), cpuSeconds(options.tier.pid)];
    const delta = (i: number) => (cpuAfter[i] === undefined || cpuBefore[i] === undefined ? undefined : cpuAfter[i]! - cpuBefore[i]!);
    return {
      scenario: scenario.name,
      gateway: gateway.name,
      ours: gateway.ours,
      requests: result.requests,
      seconds: result.seconds,
      failed: result.non2xx + result.errors,
      withErrors: result.withErrors,
      errorCodes: result.errorCodes,
      cacheHits: result.cacheHits,
      latencies: result.latencies,
      gatewayCpuSeconds: delta(0),
      tierCpuSeconds: delta(1),
      upstreamCalls: (await options.tier.upstreamRequests()) - upstreamBefore,
      peakRssMb,
    };
  } finally {
    clearInterval(sampler);
  }
}

function addTo(sum: Measurement, more: Measurement): void {
  sum.requests += more.requests;
  sum.seconds += more.seconds;
  sum.failed += more.failed;
  sum.withErrors += more.withErrors;
  for (const [code, count] of Object.entries(more.errorCodes)) sum.errorCodes[code] = (sum.errorCodes[code] ?? 0) + count;
  sum.cacheHits += more.cacheHits;
  for (const latency of more.latencies) sum.latencies.push(latency);
  sum.gatewayCpuSeconds = plus(sum.gatewayCpuSeconds, more.gatewayCpuSeconds);
  sum.tierCpuSeconds = plus(sum.tierCpuSeconds, more.tierCpuSeconds);
  sum.upstreamCalls += more.upstreamCalls;
  sum.peakRssMb = more.peakRssMb === undefined ? sum.peakRssMb : Math.max(sum.peakRssMb ?? 0, more.peakRssMb);
}

const plus = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a + b);

/** The gateways starting at a different one each round. */
function rotated<T>(items: readonly T[], round: number): T[] {
  const shift = round % Math.max(1, items.length);
  return [...items.slice(shift), ...items.slice(0, shift)];
}
