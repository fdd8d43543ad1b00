/** Filtered, newest-first pages of audit events with opaque cursors. */
import type { AuditEvent, AuditEventType } from '../../../kit/audit-event.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { toInstant } from './instant.ts';
import { EVENT_COLUMNS, rowToStoredEvent, type EventRow, type StoredAuditEvent } from './event-rows.ts';
import type { AuditTables } from './schema-names.ts';
import type { SqlExecutor } from './sql-client.ts';

export interface AuditEventFilter {
  type?: AuditEventType;
  actor?: string;
  entityType?: string;
  entityId?: string;
  /** Inclusive lower bound on `at` (ISO text or Date). */
  from?: string | Date;
  /** Exclusive upper bound on `at`. */
  to?: string | Date;
}

export interface ListAuditEventsArgs {
  filter?: AuditEventFilter;
  /** Page size, 1..50. */
  first: number;
  /** `endCursor` of the previous page. */
  after?: string | null;
}

export interface AuditEventPage {
  events: StoredAuditEvent[];
  /** One opaque cursor per event, in the same order. */
  cursors: string[];
  /** Events matching the filter, over all pages. */
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

export const MAX_PAGE_SIZE = 50;

export async function listEvents(db: SqlExecutor, tables: AuditTables, { filter = {}, first, after }: ListAuditEventsArgs): Promise<AuditEventPage> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw new RangeError(`first must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${first}`);
  const params: unknown[] = [];
  const conditions: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.type !== undefined) add((p) => `type = ${p}`, filter.type);
  if (filter.actor !== undefined) add((p) => `actor = ${p}`, filter.actor);
  if (filter.entityType !== undefined) add((p) => `entity_type = ${p}`, filter.entityType);
  if (filter.entityId !== undefined) add((p) => `entity_id = ${p}`, filter.entityId);
  if (filter.from !== undefined) add((p) => `at >= ${p}::timestamptz`, toInstant(filter.from, 'from'));
  if (filter.to !== undefined) add((p) => `at < ${p}::timestamptz`, toInstant(filter.to, 'to'));
  const matching = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const countParams = [...params];
  if (after) add((p) => `seq < ${p}::bigint`, decodeCursor(after));
  const page = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';

  const [rows, [count]] = await Promise.all([
    db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ${tables.events} ${page} ORDER BY seq DESC LIMIT ${first + 1}`, params),
    db.query<{ total: string | number }>(`SELECT count(*) AS total FROM ${tables.events} ${matching}`, countParams),
  ]);
  const visible = rows.slice(0, first);
  const lastRow = visible.at(-1);
  return {
    events: visible.map(rowToStoredEvent),
    cursors: visible.map((row) => encodeCursor(row.seq)),
    totalCount: Number(count?.total ?? 0),
    hasNextPage: rows.length > first,
    endCursor: lastRow ? encodeCursor(lastRow.seq) : null,
  };
}
