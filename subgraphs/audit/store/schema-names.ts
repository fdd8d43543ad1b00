/** Quoted, schema-qualified table names (the schema is configurable so tests can isolate). */

export interface AuditTables {
  schema: string;
  events: string;
  migrations: string;
}

export const DEFAULT_AUDIT_SCHEMA = 'audit';

export function auditTables(schema: string): AuditTables {
  // Identifiers cannot be bound as parameters, so only plain names are accepted.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Audit schema name ${JSON.stringify(schema)} must match [a-z_][a-z0-9_]*`);
  return { schema: `"${schema}"`, events: `"${schema}".audit_events`, migrations: `"${schema}".schema_migrations` };
}
