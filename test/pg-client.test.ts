/**
 * The audit store's PostgreSQL client when the server goes away in the middle of a
 * transaction (a server of the test's own, stopped with `immediate`): the transaction
 * rejects, the process lives on, and the client works again once the server is back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPgClient } from '../subgraphs/audit/store/pg-client.ts';
import type { SqlClient } from '../subgraphs/audit/store/sql-client.ts';
import { until } from './support/eventually.ts';
import { startPrivatePostgres, type PrivateServer } from './support/private-services.ts';

describe('the PostgreSQL client of the audit store', () => {
  let postgres: PrivateServer;
  let client: SqlClient;
  const uncaught: unknown[] = [];
  const keep = (error: unknown) => void uncaught.push(error);
  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    client = createPgClient(postgres.url);
    process.on('uncaughtException', keep);
  });
  afterAll(async () => {
    process.off('uncaughtException', keep);
    await client?.close();
    await postgres?.close();
  });

  it('survives the server dropping a connection inside a transaction', async () => {
    const sleeping = client.transaction((sql) => sql.query('SELECT pg_sleep(60)'));
    const outcome = sleeping.then(
      () => 'committed',
      (error: unknown) => `rejected: ${String(error)}`,
    );
    await until(
      async () => {
        const rows = await client.query<{ count: string }>(`SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'`);
        return Number(rows[0]?.count) === 1;
      },
      { timeoutMs: 20_000, describe: () => 'the transaction is running on the server' },
    );
    await postgres.stop();
    expect(await outcome).toMatch(/^rejected: /);
    await postgres.start();
    await until(() => client.query('SELECT 1').then(() => true, () => false), { timeoutMs: 30_000, describe: () => 'the client answers again' });
    expect(await client.transaction((sql) => sql.query<{ one: number }>('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    expect(uncaught).toEqual([]);
  });
});
