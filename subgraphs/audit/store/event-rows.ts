/** Mapping between audit_events rows and AuditEvent (the hashed content) or StoredAuditEvent (with its chain link). */
import type { AuditEvent, AuditEventType, AuditOutcome } from '../../../kit/audit-event.ts';

export const EVENT_COLUMNS = 'seq, id, at, type, actor, service, entity_type, entity_id, action, outcome, details, prev_hash, hash';

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
  prev_hash: string;
  hash: string;
}

/** A stored event with its link in the hash chain, so anyone can check the chain outside the system. */
export interface StoredAuditEvent extends AuditEvent {
  prevHash: string;
  hash: string;
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

export function rowToStoredEvent(row: EventRow): StoredAuditEvent {
  return { ...rowToEvent(row), prevHash: row.prev_hash, hash: row.hash };
}
