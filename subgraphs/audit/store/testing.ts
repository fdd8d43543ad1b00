/**
 * Test helpers: raw SQL against a store's own database, to simulate tampering. Production
 * code must not import this module.
 */
import type { AuditStore } from './audit-store.ts';
import { storeClient } from './store-internals.ts';

/** Runs any SQL on the store's connection (e.g. an UPDATE that the store itself never does). */
export function rawQuery<Row = Record<string, unknown>>(store: AuditStore, text: string, params?: readonly unknown[]): Promise<Row[]> {
  return storeClient(store).query<Row>(text, params);
}
