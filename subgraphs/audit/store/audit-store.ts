/**
 * The audit store: an append-only, hash-chained table of audit events on PostgreSQL
 * (`settings.databaseUrl`) or embedded PGlite (`<dataDir>/audit/pglite`), same SQL on both.
 */
import path from 'node:path';
import type { Settings } from '../../../config/settings.ts';
import type { AuditEvent } from '../../../kit/audit-event.ts';
import { appendEvents } from './append-events.ts';
import { listEvents, type AuditEventPage, type ListAuditEventsArgs } from './list-events.ts';
import { migrate } from './migrations.ts';
import { buildReport, type AuditReport, type AuditReportKind } from './report.ts';
import { auditTables, DEFAULT_AUDIT_SCHEMA } from './schema-names.ts';
import { countStatements, type SqlClient } from './sql-client.ts';
import { registerStoreClient } from './store-internals.ts';
import { loadTrails } from './trails.ts';
import { verifyChain, type ChainVerification } from './verify-chain.ts';

export interface AuditStore {
  /** Which database backs the store. */
  readonly backend: 'postgres' | 'pglite';
  /**
   * Stores events not stored yet (by id), extending the hash chain in the given order.
   * Returns the number inserted; throws TypeError for a malformed event (nothing stored).
   */
  append(events: readonly AuditEvent[]): Promise<number>;
  /** Newest-first page of events matching the filter. */
  list(args: ListAuditEventsArgs): Promise<AuditEventPage>;
  /** The first page (latest `first` events, newest first) of each entity's trail, in one query. */
  trails(entityType: string, entityIds: readonly string[], first: number): Promise<Map<string, AuditEventPage>>;
  /** Recomputes the hash chain over the whole table. */
  verifyChain(): Promise<ChainVerification>;
  /** Counts of one report kind's events in [from, to). */
  report(kind: AuditReportKind, from: string | Date, to: string | Date): Promise<AuditReport>;
  /** Resolves when the database answers (readiness). */
  ping(): Promise<void>;
  /** SQL statements run so far (lets tests prove batching). */
  queryCount(): number;
  close(): Promise<void>;
}

export interface OpenAuditStoreOptions {
  /** Schema holding the tables (default `audit`); tests use a fresh one each. */
  schema?: string;
}

/** Opens the store and applies pending migrations. */
export async function openAuditStore(
  settings: Pick<Settings, 'dataDir' | 'databaseUrl'>,
  { schema = DEFAULT_AUDIT_SCHEMA }: OpenAuditStoreOptions = {},
): Promise<AuditStore> {
  const tables = auditTables(schema);
  const backend = settings.databaseUrl ? 'postgres' : 'pglite';
  const client = countStatements(await connect(settings));
  try {
    await migrate(client, tables);
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  let closing: Promise<void> | undefined;
  const store: AuditStore = {
    backend,
    append: (events) => appendEvents(client, tables, events),
    list: (args) => listEvents(client, tables, args),
    trails: (entityType, entityIds, first) => loadTrails(client, tables, entityType, entityIds, first),
    verifyChain: () => verifyChain(client, tables),
    report: (kind, from, to) => buildReport(client, tables, kind, from, to),
    ping: async () => void (await client.query('SELECT 1')),
    queryCount: () => client.statementCount(),
    close: () => (closing ??= client.close()),
  };
  registerStoreClient(store, client);
  return store;
}

async function connect(settings: Pick<Settings, 'dataDir' | 'databaseUrl'>): Promise<SqlClient> {
  // Loaded on demand: a PostgreSQL deployment never loads the PGlite WebAssembly, and back.
  if (settings.databaseUrl) {
    const { createPgClient } = await import('./pg-client.ts');
    return createPgClient(settings.databaseUrl);
  }
  const { createPgliteClient } = await import('./pglite-client.ts');
  return createPgliteClient(path.join(settings.dataDir, 'audit', 'pglite'));
}
