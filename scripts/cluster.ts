/**
 * The scaled-out topology as local processes: every service of `clusterServices` (the
 * sandboxes, each subgraph, the audit and gateway replicas) in a process of its own, sharing
 * Redis and PostgreSQL. Every child gets the same environment, built once here, plus only
 * what `ownEnv` sets it apart by; a setting added for all services (a key the gateway signs
 * with, say) reaches all of them without a change here. A child that dies is reported and
 * left dead: nothing is restarted unless the caller asks (`restart`).
 */
import path from 'node:path';
import type { Env } from '../config/read-env.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import { clusterServices, PORT_VARIABLES, type ClusterService } from './cluster-services.ts';
import { readClusterSettings } from './cluster-settings.ts';
import { freePorts } from './free-port.ts';
import { launch, type ProcessExit, type ServiceProcess } from './processes.ts';

export interface ClusterOptions {
  /** Settings on top of process.env (REDIS_URL and DATABASE_URL are required). */
  env?: Env;
  /** Every service, and every replica, on a port that is free now (tests, the bench). */
  freePorts?: boolean;
  /** Start the sandbox upstreams too. @default true */
  sandboxes?: boolean;
  /** Each line a child writes. */
  onLine?: (service: string, line: string) => void;
  /** A child exited without being asked to (it stays down). */
  onUnexpectedExit?: (service: string, exit: ProcessExit, recentOutput: string) => void;
}

export interface RunningCluster {
  /** The environment every child was given (each adds only its `ownEnv`). */
  readonly env: Env;
  readonly settings: Settings;
  /** What runs, in start order. */
  readonly services: readonly ClusterService[];
  /** The gateway replicas' GraphQL URLs, replica 1 first. */
  readonly gatewayUrls: readonly string[];
  /** A service's current process, by its name (`plants`, `audit-2`, `gateway-1`, `plant-api`). */
  process(name: string): ServiceProcess;
  /** What a service announced: `/graphql` URLs for gateways and subgraphs, base URLs for sandboxes. */
  url(name: string): string;
  /** Starts a service that has exited again: same entry point, environment and port. */
  restart(name: string): Promise<ServiceProcess>;
  /** Every exit nobody asked for since the start. */
  readonly failures: readonly { readonly service: string; readonly exit: ProcessExit }[];
  /** Stops every child (gateways first, sandboxes last) and waits for them. */
  stop(): Promise<void>;
}

/** Thrown when the shared state the topology needs is not configured. */
export class ClusterNeedsSharedState extends Error {}

const TIERS = ['sandbox', 'subgraph', 'gateway'] as const;

export async function startCluster(options: ClusterOptions = {}): Promise<RunningCluster> {
  const env = await clusterEnv({ ...process.env, ...options.env }, options.freePorts ?? false);
  const settings = loadSettings(env);
  const services = clusterServices(settings, { sandboxes: options.sandboxes ?? true });
  const running = new Map<string, ServiceProcess>();
  const failures: { service: string; exit: ProcessExit }[] = [];
  let stopping = false;

  const start = (service: ClusterService) =>
    launch({
      name: service.name,
      main: service.main,
      env: { ...env, ...service.ownEnv },
      nodeArgs: service.nodeArgs,
      onLine: (line) => options.onLine?.(service.name, line),
      onUnexpectedExit: (exit) => {
        // Ctrl-C reaches the children too: their exits while stopping are no news.
        if (stopping) return;
        failures.push({ service: service.name, exit });
        options.onUnexpectedExit?.(service.name, exit, running.get(service.name)?.recentOutput() ?? '');
      },
    }).then((child) => {
      running.set(service.name, child);
      return child;
    });

  async function stop(): Promise<void> {
    stopping = true;
    for (const tier of [...TIERS].reverse()) await Promise.all([...running.values()].filter((child) => serviceNamed(child.name).tier === tier).map((child) => child.stop()));
  }

  const serviceNamed = (name: string): ClusterService => {
    const service = services.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`no service ${name} in this cluster (${services.map((s) => s.name).join(', ')})`);
    return service;
  };

  // Sandboxes before subgraphs (core banking makes the certificates banking presents), subgraphs before gateways.
  for (const tier of TIERS) {
    // Every start of the tier settled, so that none is left running when another failed.
    const failed = (await Promise.allSettled(services.filter((service) => service.tier === tier).map(start))).find((result) => result.status === 'rejected');
    if (failed) {
      await stop();
      throw failed.reason;
    }
  }

  const processOf = (name: string): ServiceProcess => {
    const child = running.get(serviceNamed(name).name);
    if (!child) throw new Error(`${name} has not started`);
    return child;
  };
  return {
    env,
    settings,
    services,
    gatewayUrls: services.filter((service) => service.tier === 'gateway').map((service) => processOf(service.name).url),
    process: processOf,
    url: (name) => processOf(name).url,
    async restart(name) {
      if (processOf(name).running()) throw new Error(`${name} is running`);
      return start(serviceNamed(name));
    },
    failures,
    stop,
  };
}

/**
 * The one environment of every child: the caller's, checked for shared state, with the data
 * folder made absolute and, with `freePorts`, every port chosen now.
 */
async function clusterEnv(base: Env, onFreePorts: boolean): Promise<Env> {
  const missing = ['REDIS_URL', 'DATABASE_URL'].filter((name) => !base[name]?.trim());
  if (missing.length > 0) {
    throw new ClusterNeedsSharedState(
      `The cluster runs every service in a process of its own, so the state they share must live outside them: ` +
        `REDIS_URL (cache, rate-limit and quota counters, pub/sub, the audit stream) and DATABASE_URL (the audit log). ` +
        `Missing: ${missing.join(', ')}. For example:\n` +
        `  REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run cluster\n` +
        `(docker-compose up -d redis postgres starts both), or npm start for everything in one process without them.`,
    );
  }
  const first = loadSettings(base);
  const env: Record<string, string | undefined> = { ...base, DATA_DIR: path.resolve(first.dataDir) };
  if (onFreePorts) {
    const { gatewayReplicas, auditReplicas } = readClusterSettings(first);
    const ports = await freePorts(PORT_VARIABLES.length + gatewayReplicas + auditReplicas);
    for (const name of PORT_VARIABLES) env[name] = String(ports.shift());
    env.CLUSTER_GATEWAY_PORTS = ports.splice(0, gatewayReplicas).join(',');
    env.CLUSTER_AUDIT_PORTS = ports.splice(0, auditReplicas).join(',');
  }
  const { gatewayPorts, auditPorts } = readClusterSettings(loadSettings(env));
  // The shared ports are the first replicas': the gateways' AUDIT_URL points at audit-1.
  env.GATEWAY_PORT = String(gatewayPorts[0]);
  env.AUDIT_PORT = String(auditPorts[0]);
  return env;
}
