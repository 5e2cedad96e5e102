import type { Pool } from 'pg';
import type { SqlSession } from './migrate';

/**
 * Runs `fn` on one dedicated connection, seen as an SqlSession, so that
 * session-level state (advisory locks, transactions) stays on it.
 */
export async function withSession<T>(pool: Pool, fn: (s: SqlSession) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn({
      query: async <R>(sql: string, params?: unknown[]) => {
        const result = await client.query(sql, params);
        return { rows: result.rows as R[] };
      },
      exec: (sql: string) => client.query(sql),
    });
  } finally {
    client.release();
  }
}
