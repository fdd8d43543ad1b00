/** What every subgraph resolver receives. */
import type { AuditEventInput } from './audit-event.ts';
import type { Caller } from './auth.ts';

export interface AuditSink {
  emit(event: AuditEventInput): void;
}

export interface SubgraphContext<TLoaders = unknown> {
  /** The verified caller; subgraphs refuse requests without one. */
  readonly caller: Caller;
  readonly service: string;
  readonly requestId: string;
  readonly audit: AuditSink;
  /** DataLoaders made for this request only (no cross-request leaks). */
  readonly loaders: TLoaders;
  /** Per-request memory of what was already audited (one event per entity, not per field). */
  readonly audited: Set<string>;
}

/** Emits an audit event once per request for a given key. */
export function auditOnce(context: SubgraphContext, key: string, event: AuditEventInput): void {
  if (context.audited.has(key)) return;
  context.audited.add(key);
  context.audit.emit(event);
}
