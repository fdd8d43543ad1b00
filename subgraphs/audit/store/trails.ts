/** Latest events of many entities in one query (the audit subgraph batches `auditTrail`). */
import { encodeCursor } from './cursor.ts';
import { EVENT_COLUMNS, rowToStoredEvent, type EventRow, type StoredAuditEvent } from './event-rows.ts';
import { MAX_PAGE_SIZE, type AuditEventPage } from './list-events.ts';
import type { AuditTables } from './schema-names.ts';
import type { SqlExecutor } from './sql-client.ts';

/** Map from each requested id to the first page of its trail, newest first (empty when none). */
export async function loadTrails(db: SqlExecutor, tables: AuditTables, entityType: string, entityIds: readonly string[], first: number): Promise<Map<string, AuditEventPage>> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw new RangeError(`first must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
  const rowsById = new Map<string, (EventRow & { total: string | number })[]>(entityIds.map((id) => [id, []]));
  if (entityIds.length > 0) {
    // One more row than asked tells whether a next page exists; the window count is the total.
    const rows = await db.query<EventRow & { total: string | number }>(
      `SELECT ${EVENT_COLUMNS}, total FROM (
         SELECT ${EVENT_COLUMNS},
                row_number() OVER (PARTITION BY entity_id ORDER BY seq DESC) AS rank,
                count(*) OVER (PARTITION BY entity_id) AS total
         FROM ${tables.events} WHERE entity_type = $1 AND entity_id = ANY($2::text[])
       ) ranked WHERE rank <= $3 ORDER BY entity_id, seq DESC`,
      [entityType, [...new Set(entityIds)], first + 1],
    );
    for (const row of rows) rowsById.get(row.entity_id ?? '')?.push(row);
  }
  const trails = new Map<string, AuditEventPage>();
  for (const [id, rows] of rowsById) {
    const visible = rows.slice(0, first);
    trails.set(id, {
      events: visible.map(rowToStoredEvent),
      cursors: visible.map((row) => encodeCursor(row.seq)),
      totalCount: Number(rows[0]?.total ?? 0),
      hasNextPage: rows.length > first,
      endCursor: visible.length > 0 ? encodeCursor(visible.at(-1)!.seq) : null,
    });
  }
  return trails;
}
