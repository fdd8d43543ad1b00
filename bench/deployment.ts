/**
 * The deployment shape the bench measures, as child processes: the subgraph tier
 * (bench/subgraph-tier.ts: subgraphs, identity provider, sandboxes) in one, each gateway
 * of `GATEWAY_KINDS` in one of its own, all joined through the tier's environment. The
 * bench process itself generates the load and mints the callers' tokens with the
 * identity provider's key.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Env } from '../config/read-env.ts';
import { loadSettings } from '../config/settings.ts';
import { ROLES, type Role } from '../kit/roles.ts';
import { loadOrCreateSigningKey } from '../sandbox/identity-provider/keys.ts';
import { mintToken } from '../sandbox/identity-provider/mint.ts';
import { launch, type ServiceProcess } from '../scripts/processes.ts';
import type { GatewayKind } from './gateways.ts';
import type { BenchSettings } from './settings.ts';
import type { TierReport } from './subgraph-tier.ts';
import type { GatewayUnderTest, TierUnderTest, TokenFor } from './under-test.ts';

export interface Deployment {
  readonly tier: TierUnderTest;
  /** What the tier reports now. */
  report(): Promise<TierReport>;
  readonly gateways: readonly (GatewayUnderTest & { readonly process: ServiceProcess })[];
  readonly tokenFor: TokenFor;
  stop(): Promise<void>;
}

/** No plan's limit stops bench load (requests an hour / burst). */
const UNLIMITED_PLANS = ['basic', 'professional', 'enterprise'].map((plan) => `${plan}=1000000000/1000000000`).join(',');

export async function startDeployment(options: { kinds: readonly GatewayKind[]; tierEnv: Env; bench: BenchSettings; dataDir?: string }): Promise<Deployment> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'fil-bench-')));
  const started: ServiceProcess[] = [];
  const stop = async () => {
    for (const child of started.reverse()) await child.stop().catch(() => undefined);
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };
  try {
    const baseEnv: Env = {
      ...process.env,
      DATA_DIR: dataDir,
      KEY_PREFIX: `bench-${randomUUID()}:`,
      LOG_LEVEL: 'error',
      RATE_LIMIT_PLANS: UNLIMITED_PLANS,
      // No health probe traffic in the upstream counters.
      PLANT_API_HEALTH_PROBE_MS: '3600000',
      BENCH_UPSTREAM_LATENCY_MS: String(options.bench.upstreamLatencyMs),
      ...options.tierEnv,
    };
    const tierProcess = await launch({ name: 'subgraphs', main: 'bench/subgraph-tier.ts', env: baseEnv });
    started.push(tierProcess);
    const report = async (): Promise<TierReport> => (await fetch(tierProcess.url)).json() as Promise<TierReport>;
    const tierEnv = (await report()).env;

    const gateways = [];
    // One at a time: the machine is small and each start compiles a query planner.
    for (const kind of options.kinds) {
      const child = await launch({ name: kind.name, main: kind.main, nodeArgs: kind.nodeArgs, env: { ...tierEnv, GATEWAY_PORT: '0', BENCH_GATEWAY_PORT: '0', ...kind.env } });
      started.push(child);
      gateways.push({ name: kind.name, url: child.url, pid: child.pid, ours: kind.ours, process: child });
    }

    const settings = loadSettings(tierEnv);
    const key = await loadOrCreateSigningKey(dataDir);
    const tokens = new Map<Role, string>();
    for (const role of ROLES) tokens.set(role, await mintToken({ key, issuer: settings.auth.issuer, audience: settings.auth.audience, role, ttlSeconds: 3600 }));
    return {
      tier: {
        pid: tierProcess.pid,
        upstreamRequests: async () => Object.values((await report()).sandboxes).reduce((sum, sandbox) => sum + sandbox.requests, 0),
      },
      report,
      gateways,
      tokenFor: (role) => tokens.get(role)!,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
