/**
 * `npm run bench`: our gateway side by side with a plain @apollo/gateway and Hive Gateway
 * over the very same subgraphs, in the deployment's shape (the subgraph tier in one
 * process, each gateway in its own, this process generating the load). For each kind of
 * subgraph tier (warm, admin, cold) it starts the processes, checks that every gateway answers
 * every operation with our data, and drives them in alternating rounds; then it measures
 * the downtime alert fan-out, and prints the table and issue 13's targets beside it.
 * Settings: bench/settings.ts (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS,
 * BENCH_UPSTREAM_LATENCY_MS, BENCH_SUBSCRIBERS, BENCH_SCENARIOS, BENCH_REDIS_URL).
 */
import { measureFanOut, type FanOut } from './alerts.ts';
import { checkEqualData } from './check-answers.ts';
import { startDeployment } from './deployment.ts';
import { GATEWAY_KINDS } from './gateways.ts';
import type { Measurement } from './rounds.ts';
import { runRounds } from './rounds.ts';
import { SCENARIOS, TIER_ENV, TIER_KINDS } from './scenarios.ts';
import { readBenchSettings } from './settings.ts';
import { formatErrorCodes, formatTable, rowsOf } from './table.ts';
import { evaluateTargets, formatTargets } from './targets.ts';

const bench = readBenchSettings();
const scenarios = SCENARIOS.filter((scenario) => bench.only.length === 0 || bench.only.includes(scenario.name));
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
console.log(
  `bench: ${bench.rounds} rounds x ${bench.seconds} s per scenario and gateway, ${bench.connections} connections, ` +
    `upstream latency ${bench.upstreamLatencyMs} ms, Node ${process.version}; gateways: ${GATEWAY_KINDS.map((kind) => kind.name).join(', ')}`,
);

const measurements: Measurement[] = [];
for (const tier of TIER_KINDS) {
  const ofTier = scenarios.filter((scenario) => scenario.tier === tier);
  if (ofTier.length === 0) continue;
  console.log(`[${elapsed()}] ${tier} subgraph tier: starting the subgraphs and ${GATEWAY_KINDS.length} gateways`);
  const deployment = await startDeployment({ kinds: GATEWAY_KINDS, tierEnv: TIER_ENV[tier], bench });
  try {
    const operations = [...new Set(ofTier.flatMap((scenario) => scenario.operations))];
    await checkEqualData(deployment.gateways, operations, deployment.tokenFor);
    console.log(`[${elapsed()}] every gateway answers the ${operations.length} operations with our data`);
    measurements.push(
      ...(await runRounds({
        scenarios: ofTier,
        gateways: deployment.gateways,
        tier: deployment.tier,
        tokenFor: deployment.tokenFor,
        rounds: bench.rounds,
        seconds: bench.seconds,
        connections: bench.connections,
        onDrive: (scenario, gateway, round, { quiet, waitedMs }) =>
          console.log(`[${elapsed()}]   round ${round}: ${scenario} through ${gateway}${waitedMs > 1000 ? ` (after ${(waitedMs / 1000).toFixed(0)} s for the subgraphs to go quiet${quiet ? '' : ', given up'})` : ''}`),
      })),
    );
  } finally {
    await deployment.stop();
  }
}

let fanOut: FanOut | undefined;
if (bench.subscribers > 0) {
  console.log(`[${elapsed()}] alert fan-out to ${bench.subscribers} subscribers of our gateway`);
  fanOut = await measureFanOut(bench);
}

const rows = rowsOf(measurements);
console.log(`\n${formatTable(rows)}`);
console.log(`\n${formatErrorCodes(rows)}`);
if (fanOut) console.log(`\nalert fan-out (${fanOut.gateway}): ${fanOut.subscribers} subscribers, ${fanOut.ms.toFixed(0)} ms from the plant going offline upstream to the last one having the alert`);
else if (bench.subscribers > 0) console.log('\nalert fan-out: not measured');
console.log(`\ntargets (issue 13):\n${formatTargets(evaluateTargets({ rows, upstreamLatencyMs: bench.upstreamLatencyMs, fanOut }))}`);
console.log(`\n(${elapsed()}; CPU seconds are each process's while it was driven, all rounds together; RSS is the gateway's peak)`);
