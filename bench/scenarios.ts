/**
 * What the bench measures. Each scenario runs on a subgraph tier of one kind: `warm`
 * (every upstream policy as configured, caches filled by the first requests), `admin`
 * (the same, in processes of its own: every ADMIN read of a sensitive field is audited, and
 * the audit log that grows would slow the audit-trail scenario's later rounds) or `cold`
 * (every upstream cache and outbound quota off, so each request reaches the sandboxes).
 */
import type { Env } from '../config/read-env.ts';
import { ADMIN_WIDGET_OPERATIONS, PLANTS_WITH_AUDIT_TRAILS, WIDGET_OPERATIONS, type Operation } from './operations.ts';

export type TierKind = 'warm' | 'admin' | 'cold';

/** In the order they run. */
export const TIER_KINDS: readonly TierKind[] = ['warm', 'admin', 'cold'];

export interface Scenario {
  readonly name: string;
  readonly tier: TierKind;
  /** Sent in turn by every connection. */
  readonly operations: readonly Operation[];
  /** Connections, when not BENCH_CONNECTIONS. */
  readonly connections?: number;
}

const UPSTREAM_APIS = ['PLANT_API', 'STRIPE', 'SENDGRID', 'CORE_BANKING', 'GOOGLE_ANALYTICS'];

/** The settings of each kind of subgraph tier. */
export const TIER_ENV: Readonly<Record<TierKind, Env>> = {
  warm: {},
  admin: {},
  cold: Object.fromEntries(UPSTREAM_APIS.flatMap((api) => [[`${api}_CACHE_TTL_MS`, '0'], [`${api}_QUOTA_PER_MINUTE`, '0']])),
};

export const SCENARIOS: readonly Scenario[] = [
  { name: 'widgets warm', tier: 'warm', operations: WIDGET_OPERATIONS },
  { name: 'plants with audit trails', tier: 'warm', operations: [PLANTS_WITH_AUDIT_TRAILS] },
  { name: 'widgets as ADMIN warm', tier: 'admin', operations: ADMIN_WIDGET_OPERATIONS },
  { name: 'widgets cold', tier: 'cold', operations: WIDGET_OPERATIONS },
  { name: 'widgets cold 1 connection', tier: 'cold', operations: WIDGET_OPERATIONS, connections: 1 },
];
