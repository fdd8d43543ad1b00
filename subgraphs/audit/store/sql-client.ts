/**
 * The little the store needs from a database, so the same SQL runs on PostgreSQL (`pg`) and
 * on embedded PGlite.
 */

/** Runs one parameterised statement and returns its rows. */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A client that counts the statements it runs (tests prove batching with it). */
export interface CountingSqlClient extends SqlClient {
  statementCount(): number;
}

export function countStatements(inner: SqlClient): CountingSqlClient {
  let count = 0;
  const counted = (executor: SqlExecutor): SqlExecutor => ({
    query(text, params) {
      count += 1;
      return executor.query(text, params);
    },
  });
  return {
    ...counted(inner),
    transaction: (work) => inner.transaction((tx) => work(counted(tx))),
    close: () => inner.close(),
    statementCount: () => count,
  };
}
