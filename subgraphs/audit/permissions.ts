/** The audit log is for auditors: audit:read (AUDITOR, ADMIN) on everything it serves. */
import type { PermissionTable } from '../kit/permissions.ts';
import { AUDITED_ENTITIES } from './resolvers.ts';

export const auditPermissions: PermissionTable = {
  requires: {
    Query: 'audit:read',
    AuditEvent: 'audit:read',
    AuditEventConnection: 'audit:read',
    AuditEventEdge: 'audit:read',
    AuditChainStatus: 'audit:read',
    ComplianceReport: 'audit:read',
    CountByKey: 'audit:read',
    PageInfo: 'public',
    ...Object.fromEntries(AUDITED_ENTITIES.flatMap((entity) => [[`${entity}.id`, 'public'], [`${entity}.auditTrail`, 'audit:read']])),
  },
};
