/**
 * The services of the scaled-out topology, as docker-compose.yml names them: the sandbox
 * upstreams, every subgraph of the registry, and the replicated ones (gateway, audit)
 * numbered. Each is one entry point run in a process of its own; `ownEnv` is all that sets
 * it apart from the others (its port, its name as an audit consumer).
 */
import type { Env } from '../config/read-env.ts';
import type { Settings } from '../config/settings.ts';
import { GATEWAY_NODE_ARGS } from '../gateway/heap-budget.ts';
import { envName } from '../config/subgraph-settings.ts';
import { STAND_INS } from '../sandbox/registry.ts';
import { SUBGRAPHS } from '../subgraphs/registry.ts';
import { readClusterSettings } from './cluster-settings.ts';

export type ClusterTier = 'sandbox' | 'subgraph' | 'gateway';

export interface ClusterService {
  /** The service's name in docker-compose.yml. */
  readonly name: string;
  readonly tier: ClusterTier;
  /** Its entry point, from the repository root. */
  readonly main: string;
  /** What it gets on top of the environment every service shares. */
  readonly ownEnv: Env;
  /** Node's own flags for it (the gateway's heap limit). */
  readonly nodeArgs?: readonly string[];
}

/** Each sandbox and the setting of its port: the identity provider, then every stand-in of the sandbox registry. */
export const SANDBOX_SERVICES: readonly { name: string; portVariable: string }[] = [
  { name: 'identity-provider', portVariable: 'IDP_PORT' },
  ...STAND_INS.map((standIn) => ({ name: standIn.name, portVariable: standIn.portSetting })),
];

/** Every single-process service's port setting (the replicated ones take theirs from the cluster settings). */
export const PORT_VARIABLES: readonly string[] = [...SANDBOX_SERVICES.map((sandbox) => sandbox.portVariable), ...SUBGRAPHS.map((entry) => `${envName(entry.name)}_PORT`), 'GATEWAY_PORT'];

const AUDIT = 'audit';

/** The topology the settings describe, in start order: sandboxes, subgraphs, gateways. */
export function clusterServices(settings: Settings, { sandboxes = true }: { sandboxes?: boolean } = {}): ClusterService[] {
  const { gatewayPorts, auditPorts } = readClusterSettings(settings);
  return [
    ...(sandboxes ? SANDBOX_SERVICES.map(({ name }) => ({ name, tier: 'sandbox' as const, main: `sandbox/${name}/main.ts`, ownEnv: {} })) : []),
    ...SUBGRAPHS.flatMap(({ name }) =>
      name === AUDIT
        ? // Each audit process is a consumer of the audit stream: a name of its own in the group, kept across restarts.
          auditPorts.map((port, i) => ({ name: `${AUDIT}-${i + 1}`, tier: 'subgraph' as const, main: `subgraphs/${AUDIT}/main.ts`, ownEnv: { AUDIT_PORT: String(port), AUDIT_CONSUMER_NAME: `${AUDIT}-${i + 1}` } }))
        : [{ name, tier: 'subgraph' as const, main: `subgraphs/${name}/main.ts`, ownEnv: {} }],
    ),
    ...gatewayPorts.map((port, i) => ({ name: `gateway-${i + 1}`, tier: 'gateway' as const, main: 'gateway/main.ts', ownEnv: { GATEWAY_PORT: String(port) }, nodeArgs: GATEWAY_NODE_ARGS })),
  ];
}
