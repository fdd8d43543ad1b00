/** SqlClient over embedded PGlite (one process owns the data directory). */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor } from './sql-client.ts';

export async function createPgliteClient(dataDir: string): Promise<SqlClient> {
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const executor = (runner: Pick<PGlite, 'query'>): SqlExecutor => ({
    async query(text, params) {
      const result = await runner.query(text, params ? [...params] : undefined);
      return result.rows as never[];
    },
  });
  return {
    ...executor(db),
    transaction: (work) => db.transaction((tx) => work(executor(tx))),
    close: () => db.close(),
  };
}
