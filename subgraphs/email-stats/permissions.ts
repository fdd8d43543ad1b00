/** Who may read what in the email-stats subgraph, and what is masked without pii:read. */
import { fingerprint } from '../kit/fingerprint.ts';
import type { PermissionTable } from '../kit/permissions.ts';

export const emailPermissions: PermissionTable = {
  requires: {
    Query: 'email:read',
    EmailStatsBucket: 'email:read',
    Bounce: 'email:read',
    BounceConnection: 'email:read',
    BounceEdge: 'email:read',
    PageInfo: 'public',
  },
  masked: {
    // Bounces have no id of their own; the audit trail names the address by a fingerprint, never in clear.
    'Bounce.email': { kind: 'email', owner: (bounce) => ({ type: 'EmailAddress', id: fingerprint(String(bounce.email)) }) },
    // SendGrid's reasons quote the recipient ("550 5.1.1 <jane@example.com>: ...").
    'Bounce.reason': { kind: 'freeText', owner: (bounce) => ({ type: 'EmailAddress', id: fingerprint(String(bounce.email)) }) },
  },
};
