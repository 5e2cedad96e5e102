import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../lib/config';
import type { SqlSession } from '../../lib/db';

/**
 * Databases of a test's own. On the shared PostgreSQL a schema of its own
 * stands in for a fresh database: connections get it as their search path,
 * through the URL, so child processes see the same. PGlite with the
 * timescaledb extension stands in for a TimescaleDB server.
 */
export interface TestSchema {
  readonly name: string;
  /** DATABASE_URL whose connections use only this schema. */
  readonly url: string;
  pool(max?: number): pg.Pool;
  drop(): Promise<void>;
}

export async function createTestSchema(prefix = 'smp_t'): Promise<TestSchema> {
  const base = loadConfig().databaseUrl;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  await admin.end();

  const url = new URL(base);
  url.search = `options=${encodeURIComponent(`-c search_path=${name}`)}`;
  const pools: pg.Pool[] = [];
  return {
    name,
    url: url.toString(),
    pool: (max = 4) => {
      const pool = new pg.Pool({ connectionString: url.toString(), max });
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    },
    drop: async () => {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP SCHEMA ${name} CASCADE`);
      await client.end();
    },
  };
}

export interface EmbeddedDatabase {
  readonly session: SqlSession;
  close(): Promise<void>;
}

/**
 * PGlite, with the timescaledb extension when asked, as an SqlSession. It
 * runs in a child process of its own because it loads its files with
 * dynamic imports, which jest's module sandbox does not allow.
 */
export async function openPglite(options: { timescale: boolean }): Promise<EmbeddedDatabase> {
  const child = fork(path.join(__dirname, 'pglite-child.js'), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  child.on(
    'message',
    (reply: { id: number; rows?: unknown; error?: { message: string; code?: string } }) => {
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.error)
        waiter?.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else waiter?.resolve(reply.rows);
    },
  );
  child.on('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('the PGlite process exited'));
    pending.clear();
  });
  const call = (message: Record<string, unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ ...message, id });
    });

  await call({ op: 'open', timescale: options.timescale });
  return {
    session: {
      query: async <R>(sql: string, params?: unknown[]) => ({
        rows: (await call({ op: 'query', sql, params })) as R[],
      }),
      exec: (sql: string) => call({ op: 'exec', sql }),
    },
    close: async () => {
      await call({ op: 'close' });
    },
  };
}
