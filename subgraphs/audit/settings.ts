/** The audit subgraph's settings: its store is the shared DATABASE_URL (or PGlite) and AUDIT_SCHEMA. */
import { defineSubgraphSettings } from '../../config/subgraph-settings.ts';

export const auditSettings = defineSubgraphSettings({
  name: 'audit',
  port: 4005,
  read: () => ({}),
});
