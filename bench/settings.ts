/**
 * The bench's settings, read once from the environment: how long and how hard each round
 * drives a gateway, how many alternating rounds, the latency every sandbox adds, and how
 * many subscribers the alert fan-out opens.
 */
import { readEnv, type Env } from '../config/read-env.ts';

export interface BenchSettings {
  /** Seconds each gateway is driven per scenario and round. @default 10 */
  readonly seconds: number;
  /** Concurrent connections of the loaded scenarios. @default 50 */
  readonly connections: number;
  /** Rounds; each drives every gateway once per scenario, in a rotated order. @default 2 */
  readonly rounds: number;
  /** Latency every sandbox upstream adds to each answer. @default 20 */
  readonly upstreamLatencyMs: number;
  /** Subscribers of the alert fan-out (0: no fan-out). @default 500 */
  readonly subscribers: number;
  /** Scenarios to run, by name (empty: all). */
  readonly only: readonly string[];
  /** Where the fan-out's gateway and subgraphs meet (they are separate processes): REDIS_URL, else the local one. */
  readonly redisUrl: string;
}

export function readBenchSettings(source: Env = process.env): BenchSettings {
  const env = readEnv(source);
  const settings: BenchSettings = {
    seconds: env.int('BENCH_SECONDS', 10, { min: 1 }),
    connections: env.int('BENCH_CONNECTIONS', 50, { min: 1 }),
    rounds: env.int('BENCH_ROUNDS', 2, { min: 1 }),
    upstreamLatencyMs: env.int('BENCH_UPSTREAM_LATENCY_MS', 20, { min: 0 }),
    subscribers: env.int('BENCH_SUBSCRIBERS', 500, { min: 0 }),
    only: env.list('BENCH_SCENARIOS', []),
    redisUrl: env.string('BENCH_REDIS_URL', source.REDIS_URL ?? 'redis://127.0.0.1:6379'),
  };
  env.assertValid();
  return Object.freeze(settings);
}
