/**
 * The gateways the bench drives side by side, each started as a process of its own over
 * the same subgraph tier: ours with every guard on, with the response cache on and off
 * (RESPONSE_CACHE; ignored by a gateway without one), a plain @apollo/gateway and Hive
 * Gateway.
 */
import type { Env } from '../config/read-env.ts';
import { GATEWAY_NODE_ARGS } from '../gateway/heap-budget.ts';

export interface GatewayKind {
  readonly name: string;
  /** Its entry point, from the repository root. */
  readonly main: string;
  /** What it runs with on top of the tier's environment. */
  readonly env: Env;
  /** Node's own flags, as it ships (ours: its heap limit; the others: Node's defaults). */
  readonly nodeArgs?: readonly string[];
  /** Ours: sent trusted documents by hash, and what the others are compared to. */
  readonly ours: boolean;
}

export const GATEWAY_KINDS: readonly GatewayKind[] = [
  { name: 'ours (cache on)', main: 'gateway/main.ts', env: { RESPONSE_CACHE: 'on' }, nodeArgs: GATEWAY_NODE_ARGS, ours: true },
  { name: 'ours (cache off)', main: 'gateway/main.ts', env: { RESPONSE_CACHE: 'off' }, nodeArgs: GATEWAY_NODE_ARGS, ours: true },
  { name: 'plain apollo', main: 'bench/plain-gateway-main.ts', env: {}, ours: false },
  { name: 'hive gateway', main: 'bench/hive-gateway-main.ts', env: {}, ours: false },
];

/** The comparison gateways, by their role in the ratios. */
export const PLAIN = 'plain apollo';
export const HIVE = 'hive gateway';
