/** SqlClient over a `pg` connection pool (PostgreSQL server). */
import pg from 'pg';
import type { SqlClient, SqlExecutor } from './sql-client.ts';

export function createPgClient(connectionString: string): SqlClient {
  const pool = new pg.Pool({ connectionString, max: 5 });
  // An idle connection dropped by the server must not crash the process.
  pool.on('error', () => {});
  const executor = (runner: pg.Pool | pg.PoolClient): SqlExecutor => ({
    async query(text, params) {
      const result = await runner.query(text, params as unknown[] | undefined);
      return result.rows;
    },
  });
  return {
    ...executor(pool),
    async transaction(work) {
      const connection = await pool.connect();
      // A connection the server drops mid-transaction emits 'error' on the checked-out
      // client, where the pool listens no more: without a listener that ends the process.
      // The query in flight rejects with the same error, which is what the caller handles.
      let lost: Error | undefined;
      const onLost = (error: Error) => {
        lost = error;
      };
      connection.on('error', onLost);
      try {
        await connection.query('BEGIN');
        const result = await work(executor(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        connection.removeListener('error', onLost);
        // A broken connection is destroyed, not handed to the next caller.
        connection.release(lost);
      }
    },
    close: () => pool.end(),
  };
}
