import type { Pool } from 'pg';
import { withClient } from './checkout';
import type { SqlSession } from './migrate';

/**
 * Runs `fn` on one dedicated connection, seen as an SqlSession, so that
 * session-level state (advisory locks, transactions) stays on it.
 */
export function withSession<T>(pool: Pool, fn: (s: SqlSession) => Promise<T>): Promise<T> {
  return withClient(pool, (client) =>
    fn({
      query: async <R>(sql: string, params?: unknown[]) => {
        const result = await client.query(sql, params);
        return { rows: result.rows as R[] };
      },
      exec: (sql: string) => client.query(sql),
    }),
  );
}
