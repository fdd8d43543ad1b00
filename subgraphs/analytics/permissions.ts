/** Who may read what in the analytics subgraph: everything needs analytics:read; nothing in it is personal. */
import type { PermissionTable } from '../kit/permissions.ts';

export const analyticsPermissions: PermissionTable = {
  requires: {
    Query: 'analytics:read',
    TrafficBucket: 'analytics:read',
    PageView: 'analytics:read',
    PageViewConnection: 'analytics:read',
    PageViewEdge: 'analytics:read',
    PageInfo: 'public',
  },
};
