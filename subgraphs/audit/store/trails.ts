/** Latest events of many entities in one query (the audit subgraph batches `auditTrail`). */
import type { AuditEvent } from '../../kit/audit-event.ts';
import { EVENT_COLUMNS, rowToEvent, type EventRow } from './event-rows.ts';
import { MAX_PAGE_SIZE } from './list-events.ts';
import type { AuditTables } from './schema-names.ts';
import type { SqlExecutor } from './sql-client.ts';

/** Map from each requested id to its latest `first` events, newest first ([] when none). */
export async function loadTrails(db: SqlExecutor, tables: AuditTables, entityType: string, entityIds: readonly string[], first: number): Promise<Map<string, AuditEvent[]>> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw new RangeError(`first must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
  const trails = new Map<string, AuditEvent[]>(entityIds.map((id) => [id, []]));
  if (entityIds.length === 0) return trails;
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM (
       SELECT ${EVENT_COLUMNS}, row_number() OVER (PARTITION BY entity_id ORDER BY seq DESC) AS rank
       FROM ${tables.events} WHERE entity_type = $1 AND entity_id = ANY($2::text[])
     ) ranked WHERE rank <= $3 ORDER BY entity_id, seq DESC`,
    [entityType, [...new Set(entityIds)], first],
  );
  for (const row of rows) trails.get(row.entity_id ?? '')?.push(rowToEvent(row));
  return trails;
}
