/**
 * The SQL client behind each open store, kept out of the AuditStore interface so the
 * subgraph cannot bypass append-only access; only test helpers reach it.
 */
import type { SqlClient } from './sql-client.ts';

const clients = new WeakMap<object, SqlClient>();

export function registerStoreClient(store: object, client: SqlClient): void {
  clients.set(store, client);
}

export function storeClient(store: object): SqlClient {
  const client = clients.get(store);
  if (!client) throw new Error('Not an open audit store');
  return client;
}
