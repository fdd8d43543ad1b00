/** Provisional until the audit work lands: the event shape every producer hands over. */
export const AUDIT_EVENT_TYPES = ['UPSTREAM_ERROR', 'UPSTREAM_DOWN', 'UPSTREAM_RESTORED', 'AUTH_FAILURE', 'FORBIDDEN', 'SENSITIVE_READ', 'MUTATION', 'VALIDATION', 'WEBHOOK_REJECTED', 'PLANT_STATUS_CHANGED'] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
export type AuditOutcome = 'SUCCESS' | 'FAILURE' | 'DENIED';
export interface AuditEvent {
  id: string;
  at: string;
  type: AuditEventType;
  actor: string;
  service: string;
  entityType: string | null;
  entityId: string | null;
  action: string;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
}
export type AuditEventInput = Omit<AuditEvent, 'id' | 'at' | 'entityType' | 'entityId' | 'details'> &
  Partial<Pick<AuditEvent, 'id' | 'at' | 'entityType' | 'entityId' | 'details'>>;
