/**
 * The audit schema, as an ordered list of migrations applied at open and recorded in
 * `schema_migrations`. Never edit a shipped migration: append a new one.
 */
import type { SqlClient } from './sql-client.ts';
import type { AuditTables } from './schema-names.ts';

interface Migration {
  version: number;
  name: string;
  statements: (tables: AuditTables) => string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'audit_events',
    statements: ({ events }) => [
      `CREATE TABLE ${events} (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        at timestamptz NOT NULL,
        type text NOT NULL,
        actor text NOT NULL,
        service text NOT NULL,
        entity_type text,
        entity_id text,
        action text NOT NULL,
        outcome text NOT NULL,
        details jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`,
      `CREATE INDEX ON ${events} (entity_type, entity_id, seq DESC)`,
      `CREATE INDEX ON ${events} (at)`,
      `CREATE INDEX ON ${events} (type, seq DESC)`,
      `CREATE INDEX ON ${events} (actor, seq DESC)`,
    ],
  },
  {
    version: 2,
    name: 'append_only_guard',
    // Defence in depth: changing history takes a deliberate DISABLE TRIGGER, and the hash
    // chain still shows it afterwards.
    statements: ({ schema, events }) => [
      `CREATE FUNCTION ${schema}.audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP; END $$`,
      `CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON ${events}
        FOR EACH ROW EXECUTE FUNCTION ${schema}.audit_events_append_only()`,
      `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON ${events}
        FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.audit_events_append_only()`,
    ],
  },
];

/** Creates the schema and applies missing migrations, all in one transaction. */
export async function migrate(client: SqlClient, tables: AuditTables): Promise<void> {
  await client.transaction(async (tx) => {
    // Several processes may open the store at once; the first migrates, the others wait.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit-migrations:${tables.schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${tables.schema}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${tables.migrations} (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Set((await tx.query<{ version: number }>(`SELECT version FROM ${tables.migrations}`)).map((row) => Number(row.version)));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements(tables)) await tx.query(statement);
      await tx.query(`INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    }
  });
}
