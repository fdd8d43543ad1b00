/** Mapping between audit_events rows and AuditEvent. */
import type { AuditEvent, AuditEventType, AuditOutcome } from '../../kit/audit-event.ts';

export const EVENT_COLUMNS = 'seq, id, at, type, actor, service, entity_type, entity_id, action, outcome, details';

export interface EventRow {
  seq: string | number | bigint;
  id: string;
  at: Date | string;
  type: string;
  actor: string;
  service: string;
  entity_type: string | null;
  entity_id: string | null;
  action: string;
  outcome: string;
  details: Record<string, unknown> | string;
}

export function rowToEvent(row: EventRow): AuditEvent {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    type: row.type as AuditEventType,
    actor: row.actor,
    service: row.service,
    entityType: row.entity_type,
    entityId: row.entity_id,
    action: row.action,
    outcome: row.outcome as AuditOutcome,
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : row.details,
  };
}
