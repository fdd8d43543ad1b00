/** Audit events for tests, with every field set explicitly where the test does not care. */
import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../kit/audit-event.ts';

export function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: randomUUID(),
    at: '2025-03-01T12:00:00.000Z',
    type: 'MUTATION',
    actor: 'user-1',
    service: 'plants',
    entityType: 'Plant',
    entityId: 'plant-1',
    action: 'updatePlant',
    outcome: 'SUCCESS',
    details: {},
    ...overrides,
  };
}
