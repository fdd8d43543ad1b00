/** What every subgraph resolver receives. */
import type { AuditEventInput } from '../../kit/audit-event.ts';
import type { Caller } from '../../kit/auth.ts';
import type { AuditSink, RequestAudit } from '../../kit/request-audit.ts';

export type { AuditSink } from '../../kit/request-audit.ts';

export interface SubgraphContext<TLoaders = unknown> {
  /** The verified caller; subgraphs refuse requests without one. */
  readonly caller: Caller;
  readonly service: string;
  readonly requestId: string;
  readonly audit: AuditSink;
  /** DataLoaders made for this request only (no cross-request leaks). */
  readonly loaders: TLoaders;
  /** What this request audits: once per key, sensitive reads once per entity (kit/request-audit.ts). */
  readonly audited: RequestAudit;
}

/** Emits an audit event once per request for a given key. */
export function auditOnce(context: SubgraphContext, key: string, event: AuditEventInput): void {
  context.audited.once(key, event);
}
