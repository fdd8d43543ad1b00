/**
 * Recomputes the hash chain in seq order, a page at a time, and reports the first event
 * whose content or link does not match. What it cannot see: removal of the newest rows
 * (the chain is still consistent), unless the caller remembers an earlier length or hash.
 */
import { GENESIS_HASH, hashEvent } from './event-hash.ts';
import { EVENT_COLUMNS, rowToEvent, type EventRow } from './event-rows.ts';
import type { AuditTables } from './schema-names.ts';
import type { SqlExecutor } from './sql-client.ts';

export interface ChainVerification {
  valid: boolean;
  /** Events examined: all of them when valid, up to and including `brokenAt` otherwise. */
  length: number;
  /** Id of the first event whose hash or link to its predecessor does not match. */
  brokenAt: string | null;
}

const PAGE = 1000;

export async function verifyChain(db: SqlExecutor, tables: AuditTables): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let length = 0;
  let afterSeq = '0';
  for (;;) {
    const rows = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${tables.events} WHERE seq > $1::bigint ORDER BY seq LIMIT ${PAGE}`,
      [afterSeq],
    );
    for (const row of rows) {
      length += 1;
      if (row.prev_hash !== prevHash || row.hash !== hashEvent(row.prev_hash, rowToEvent(row))) {
        return { valid: false, length, brokenAt: row.id };
      }
      prevHash = row.hash;
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return { valid: true, length, brokenAt: null };
    afterSeq = String(last.seq);
  }
}
