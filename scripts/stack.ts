/**
 * Starts the whole system in one process: the identity provider, the sandbox of every
 * registered stand-in, every subgraph of the registry and the gateway. `npm start` runs it
 * on the fixed ports; tests run it with `ephemeral` so every listener takes a free port and
 * the pieces learn each other's URLs from the settings each sandbox points at itself.
 */
import { loadSettings, type Settings } from '../config/settings.ts';
import type { Env } from '../config/read-env.ts';
import { envName, readSubgraphSettings } from '../config/subgraph-settings.ts';
import { startGateway, type RunningGateway } from '../gateway/server.ts';
import { closeSharedRedis } from '../kit/redis.ts';
import { identityOptions } from '../sandbox/identity-provider/options.ts';
import { startIdentityProvider, type RunningIdentityProvider } from '../sandbox/identity-provider/server.ts';
import type { Faults, RunningSandbox } from '../sandbox/kit/sandbox-server.ts';
import type { StandIn } from '../sandbox/kit/stand-in.ts';
import { STAND_INS } from '../sandbox/registry.ts';
import { startSubgraph, type RunningSubgraph } from '../subgraphs/kit/subgraph.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';

export interface StackOptions {
  /** Settings on top of process.env. */
  env?: Env;
  /** Every listener on a free port (tests). */
  ephemeral?: boolean;
  /** Faults every sandbox starts with (the bench adds latency). */
  sandboxFaults?: Partial<Faults>;
  /** Leave out the gateway (subgraph-level tests). */
  withoutGateway?: boolean;
  /** Options of one sandbox only, by its subgraph's name (the SendGrid sandbox's rate-limit window). */
  sandboxOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A running sandbox and the stand-in it was started from. */
export interface StackSandbox {
  readonly standIn: StandIn;
  readonly running: RunningSandbox;
}

export interface Stack {
  /** The settings the subgraphs and gateway run with (sandbox URLs filled in). */
  readonly settings: Settings;
  /** The environment those settings were read from: another process given it joins this stack (a gateway replica). */
  readonly env: Env;
  readonly identity: RunningIdentityProvider;
  /** Each stand-in's running sandbox, by the name of the subgraph it serves. */
  readonly sandboxes: ReadonlyMap<string, StackSandbox>;
  readonly subgraphs: ReadonlyMap<string, RunningSubgraph>;
  readonly gateway: RunningGateway | undefined;
  close(): Promise<void>;
}

/** The running sandbox of a stand-in, typed as that stand-in runs it. */
export function sandboxOf<TRunning extends RunningSandbox>(stack: Pick<Stack, 'sandboxes'>, standIn: StandIn<any, TRunning>): TRunning {
  const sandbox = stack.sandboxes.get(standIn.subgraph.name);
  if (!sandbox) throw new Error(`no ${standIn.title} sandbox in this stack`);
  return sandbox.running as TRunning;
}

/** Free ports for everything that reads its port from the environment. */
function ephemeralPorts(): Env {
  return Object.fromEntries(['GATEWAY', 'IDP', ...SUBGRAPHS.map((entry) => envName(entry.name))].map((name) => [`${name}_PORT`, '0']));
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const baseEnv: Env = { ...process.env, ...(options.ephemeral ? ephemeralPorts() : {}), ...options.env };
  const base = loadSettings(baseEnv);
  const closers: (() => Promise<void>)[] = [];
  try {
    // With free ports the provider's own URL is its issuer, known only once it listens.
    const { issuer: _fixedIssuer, ...identityOnFreePort } = identityOptions(base);
    const identity = await startIdentityProvider(options.ephemeral ? identityOnFreePort : identityOptions(base));
    closers.push(() => identity.close());

    const upstreamEnv: Record<string, string | undefined> = { ...baseEnv, AUTH_ISSUER: identity.issuer };
    const sandboxes = new Map<string, StackSandbox>();
    for (const standIn of STAND_INS) {
      const config = readSubgraphSettings(standIn.subgraph, base).values;
      const running = await standIn.start(config, {
        host: base.host,
        port: options.ephemeral ? 0 : standIn.port(config),
        faults: options.sandboxFaults,
        extra: options.sandboxOptions?.[standIn.subgraph.name],
      });
      closers.push(() => running.close());
      sandboxes.set(standIn.subgraph.name, { standIn, running });
      Object.assign(upstreamEnv, standIn.pointAt(running));
    }

    const settings = loadSettings(upstreamEnv);
    const subgraphs = new Map<string, RunningSubgraph>();
    for (const entry of SUBGRAPHS) {
      const running = await startSubgraph(entry, { settings });
      subgraphs.set(entry.name, running);
      closers.push(() => running.close());
      const sandbox = sandboxes.get(entry.name);
      sandbox?.standIn.connect?.(sandbox.running, running.url);
    }

    const gatewayEnv: Env = {
      ...upstreamEnv,
      ...Object.fromEntries([...subgraphs].map(([name, running]) => [`${envName(name)}_URL`, running.url])),
    };
    const gatewaySettings = loadSettings(gatewayEnv);
    let gateway: RunningGateway | undefined;
    if (!options.withoutGateway) {
      gateway = await startGateway(gatewaySettings);
      closers.push(() => gateway!.close());
    }
    return {
      settings: gatewaySettings,
      env: gatewayEnv,
      identity,
      sandboxes,
      subgraphs,
      gateway,
      async close() {
        for (const close of closers.reverse()) await close().catch(() => undefined);
        await closeSharedRedis();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}
