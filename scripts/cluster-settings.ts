/**
 * `npm run cluster`: how many processes of the replicated services (gateway, audit) and
 * their ports. Each replica after the first listens 10 ports above the one before, unless
 * the ports are listed.
 */
import { readEnv, type EnvReader } from '../config/read-env.ts';
import type { Settings } from '../config/settings.ts';
import { readSubgraphSettings } from '../config/subgraph-settings.ts';
import { auditSettings } from '../subgraphs/audit/settings.ts';

export interface ClusterSettings {
  readonly gatewayReplicas: number;
  /** One per gateway replica. */
  readonly gatewayPorts: readonly number[];
  /** Audit subgraph processes, each a consumer of the audit stream. */
  readonly auditReplicas: number;
  /** One per audit replica; the gateways use AUDIT_URL (by default the first). */
  readonly auditPorts: readonly number[];
}

export function readClusterSettings(settings: Settings): ClusterSettings {
  const env = readEnv(settings.source);
  const gatewayReplicas = env.int('CLUSTER_GATEWAY_REPLICAS', 2, { min: 1, max: 20 });
  const auditReplicas = env.int('CLUSTER_AUDIT_REPLICAS', 2, { min: 1, max: 20 });
  const cluster = {
    gatewayReplicas,
    gatewayPorts: replicaPorts(env, 'CLUSTER_GATEWAY_PORTS', gatewayReplicas, settings.ports.gateway),
    auditReplicas,
    auditPorts: replicaPorts(env, 'CLUSTER_AUDIT_PORTS', auditReplicas, readSubgraphSettings(auditSettings, settings).port),
  };
  env.assertValid();
  return cluster;
}

/** The listed ports, one per replica, or (none listed) the first port and every tenth above it (0: each a free one). */
function replicaPorts(env: EnvReader, name: string, replicas: number, firstPort: number): number[] {
  const listed = env.intList(name, [], { min: 0, max: 65535 });
  const spaced = Array.from({ length: replicas }, (_, i) => (firstPort === 0 ? 0 : firstPort + 10 * i));
  if (listed.length === 0) return spaced;
  if (listed.length !== replicas) {
    env.problem(`${name}=${JSON.stringify(listed.join(','))} lists ${listed.length} ports for ${replicas} replicas`);
    return spaced;
  }
  return listed;
}
