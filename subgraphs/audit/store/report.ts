/** Compliance reports: counts of one kind of event by type, service, actor and UTC day. */
import type { AuditEventType } from '../../../kit/audit-event.ts';
import { toInstant } from './instant.ts';
import type { AuditTables } from './schema-names.ts';
import type { SqlExecutor } from './sql-client.ts';

export const AUDIT_REPORT_KINDS = ['ACCESS', 'ERRORS', 'AUTH_FAILURES'] as const;
export type AuditReportKind = (typeof AUDIT_REPORT_KINDS)[number];

/** Event types each report counts. */
export const REPORT_EVENT_TYPES: Readonly<Record<AuditReportKind, readonly AuditEventType[]>> = {
  ACCESS: ['SENSITIVE_READ', 'FORBIDDEN', 'MUTATION', 'VALIDATION', 'REQUEST_REFUSED'],
  ERRORS: ['UPSTREAM_ERROR', 'UPSTREAM_DOWN', 'WEBHOOK_REJECTED'],
  AUTH_FAILURES: ['AUTH_FAILURE', 'REFUSALS_SUMMARY'],
};

export interface CountByKey {
  key: string;
  count: number;
}

export interface AuditReport {
  kind: AuditReportKind;
  /** Inclusive start, ISO. */
  from: string;
  /** Exclusive end, ISO. */
  to: string;
  total: number;
  /** Most frequent first (ties by key). */
  byType: CountByKey[];
  byService: CountByKey[];
  byActor: CountByKey[];
  /** `YYYY-MM-DD` (UTC), oldest first. */
  byDay: CountByKey[];
}

interface GroupRow {
  grouping: string;
  key: string | null;
  count: string | number;
}

export async function buildReport(db: SqlExecutor, tables: AuditTables, kind: AuditReportKind, from: string | Date, to: string | Date): Promise<AuditReport> {
  const types = REPORT_EVENT_TYPES[kind];
  if (!types) throw new RangeError(`Unknown report kind ${JSON.stringify(kind)}`);
  const range = { from: toInstant(from, 'from'), to: toInstant(to, 'to') };
  // One scan: GROUPING SETS yields every breakdown plus the total.
  const rows = await db.query<GroupRow>(
    `SELECT CASE WHEN GROUPING(type) = 0 THEN 'type' WHEN GROUPING(service) = 0 THEN 'service'
                 WHEN GROUPING(actor) = 0 THEN 'actor' WHEN GROUPING(day) = 0 THEN 'day' ELSE 'total' END AS grouping,
            COALESCE(type, service, actor, day) AS key, count(*) AS count
     FROM (SELECT type, service, actor, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
           FROM ${tables.events} WHERE type = ANY($1::text[]) AND at >= $2::timestamptz AND at < $3::timestamptz) matching
     GROUP BY GROUPING SETS ((type), (service), (actor), (day), ())`,
    [types, range.from, range.to],
  );
  const pick = (grouping: string) =>
    rows.filter((row) => row.grouping === grouping).map((row) => ({ key: row.key ?? '', count: Number(row.count) }));
  const byCount = (a: CountByKey, b: CountByKey) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return {
    kind,
    ...range,
    total: pick('total')[0]?.count ?? 0,
    byType: pick('type').sort(byCount),
    byService: pick('service').sort(byCount),
    byActor: pick('actor').sort(byCount),
    byDay: pick('day').sort((a, b) => (a.key < b.key ? -1 : 1)),
  };
}
