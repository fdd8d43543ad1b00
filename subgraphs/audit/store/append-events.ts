/**
 * Idempotent, chained appends. One transaction holds an EXCLUSIVE lock on the table (readers
 * still read) so concurrent appenders, in this or other processes, extend the chain one
 * after another and the "already stored?" check cannot race.
 */
import { parseAuditEvent, type AuditEvent } from '../../../kit/audit-event.ts';
import { GENESIS_HASH, hashEvent } from './event-hash.ts';
import type { AuditTables } from './schema-names.ts';
import type { SqlClient } from './sql-client.ts';

/** Stores the events whose ids are new, in the given order; returns how many were inserted. */
export async function appendEvents(client: SqlClient, tables: AuditTables, events: readonly AuditEvent[]): Promise<number> {
  const unique = new Map<string, AuditEvent>();
  for (const event of events) {
    const normal = normalizeForStorage(event);
    if (!unique.has(normal.id)) unique.set(normal.id, normal);
  }
  if (unique.size === 0) return 0;

  return client.transaction(async (tx) => {
    await tx.query(`LOCK TABLE ${tables.events} IN EXCLUSIVE MODE`);
    const stored = await tx.query<{ id: string }>(`SELECT id FROM ${tables.events} WHERE id = ANY($1::uuid[])`, [[...unique.keys()]]);
    for (const { id } of stored) unique.delete(id);
    if (unique.size === 0) return 0;

    const [last] = await tx.query<{ hash: string }>(`SELECT hash FROM ${tables.events} ORDER BY seq DESC LIMIT 1`);
    let prevHash = last?.hash ?? GENESIS_HASH;
    const rows = [...unique.values()].map((event, ord) => {
      const hash = hashEvent(prevHash, event);
      const row = { ord, ...event, prev_hash: prevHash, hash };
      prevHash = hash;
      return row;
    });
    // One statement for the batch; ORDER BY ord makes identity values follow the chain order.
    await tx.query(
      `INSERT INTO ${tables.events} (id, at, type, actor, service, entity_type, entity_id, action, outcome, details, prev_hash, hash)
       SELECT id, at, type, actor, service, "entityType", "entityId", action, outcome, details, prev_hash, hash
       FROM jsonb_to_recordset($1::jsonb) AS r(ord int, id uuid, at timestamptz, type text, actor text, service text,
         "entityType" text, "entityId" text, action text, outcome text, details jsonb, prev_hash text, hash text)
       ORDER BY ord`,
      [JSON.stringify(rows)],
    );
    return rows.length;
  });
}

/**
 * Validates an event and brings it to the exact form the database gives back (the hash is
 * recomputed from stored rows): ms-precision UTC time, lower-case id, JSON-only details and
 * no NUL characters and no lone surrogates (PostgreSQL text and jsonb refuse both, and one
 * refused event would hold up every event behind it).
 */
function normalizeForStorage(event: AuditEvent): AuditEvent {
  const parsed = parseAuditEvent(storableStrings(JSON.parse(JSON.stringify(event))));
  if (typeof parsed === 'string') throw new TypeError(`Audit event ${JSON.stringify(event.id)} is invalid: ${parsed}`);
  return parsed;
}

/** Every string made storable, keys included: NUL and lone surrogates become U+FFFD. */
function storableStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\u0000/g, '\uFFFD').toWellFormed();
  if (Array.isArray(value)) return value.map(storableStrings);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storableStrings(key) as string, storableStrings(inner)]));
  }
  return value;
}
