/** Who may read what in the plants subgraph, and what is masked without pii:read. */
import type { PermissionTable } from '../kit/permissions.ts';

export const plantPermissions: PermissionTable = {
  requires: {
    Query: 'plants:read',
    Plant: 'plants:read',
    Operator: 'plants:read',
    Reading: 'plants:read',
    PlantConnection: 'plants:read',
    PlantEdge: 'plants:read',
    ReadingConnection: 'plants:read',
    ReadingEdge: 'plants:read',
    PageInfo: 'public',
    PlantApiStatus: 'plants:read',
    Banner: 'plants:read',
  },
  masked: {
    'Operator.email': { kind: 'email', owner: (operator) => ({ type: 'Plant', id: String(operator.plantId) }) },
    'Operator.phone': { kind: 'phone', owner: (operator) => ({ type: 'Plant', id: String(operator.plantId) }) },
  },
};
