import pg from 'pg';
import type { Config } from '../config';

export type { Pool, PoolClient } from 'pg';

// BIGINT and NUMERIC come back as strings by default; epoch milliseconds and
// counts in this project all fit a double, so parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface PoolOptions {
  /** Shown in pg_stat_activity, so an operator can tell the stages apart. */
  readonly applicationName: string;
  readonly max?: number;
  readonly statementTimeoutMs?: number;
}

export function createPool(config: Config, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    application_name: options.applicationName,
    max: options.max ?? config.databasePoolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs ?? 60_000,
  });
  // An idle client losing its connection (database restart) must not crash
  // the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  return pool;
}
