import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SmpError } from '../errors';
import { fromRoot } from '../package-root';

/**
 * Versioned SQL migrations. Files in lib/db/migrations are named
 * `NNNN_name.sql`, or come as a pair `NNNN_name.timescale.sql` and
 * `NNNN_name.plain.sql` when TimescaleDB and plain PostgreSQL need different
 * statements; the variant is chosen by whether the `timescaledb` extension
 * is available. A file whose first line is `-- smp:no-transaction` runs
 * outside a transaction (TimescaleDB's continuous aggregates demand it).
 *
 * Several processes may start at once: a session-level advisory lock makes
 * them take turns, and the ones that come second find nothing left to do.
 * An applied migration whose text has since changed stops the run, because
 * the database no longer matches what the files say.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly variant: 'any' | 'timescale' | 'plain';
  readonly sql: string;
  readonly checksum: string;
  readonly transactional: boolean;
}

/** The little a migration target must offer: pg clients and PGlite both fit. */
export interface SqlSession {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Runs a script of several statements. */
  exec(sql: string): Promise<unknown>;
}

export interface MigrationResult {
  readonly storage: 'timescale' | 'plain';
  readonly applied: Migration[];
  readonly alreadyApplied: number;
}

export const MIGRATIONS_DIR = fromRoot('lib', 'db', 'migrations');

// hashtext('smp_schema_migrations') would differ across PostgreSQL versions;
// a fixed number does not.
const LOCK_KEY = 4_242_001;

export async function migrate(
  session: SqlSession,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<MigrationResult> {
  await session.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    const storage = (await timescaleAvailable(session)) ? 'timescale' : 'plain';
    await session.exec(`
      CREATE TABLE IF NOT EXISTS smp_schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        variant    text NOT NULL,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = await appliedChecksums(session);
    const pending: Migration[] = [];
    for (const migration of select(migrations, storage)) {
      const checksum = done.get(migration.version);
      if (checksum === undefined) pending.push(migration);
      else if (checksum !== migration.checksum) throw changed(migration);
    }
    for (const migration of pending) await apply(session, migration);
    return { storage, applied: pending, alreadyApplied: done.size };
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const pattern = /^(\d{4})_([a-z0-9_]+?)(?:\.(timescale|plain))?\.sql$/;
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = pattern.exec(file);
    if (!match) continue;
    const sql = readFileSync(path.join(dir, file), 'utf8');
    migrations.push({
      version: Number(match[1]),
      name: match[2]!,
      variant: (match[3] as Migration['variant'] | undefined) ?? 'any',
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
      transactional: !sql.startsWith('-- smp:no-transaction'),
    });
  }
  return migrations;
}

async function timescaleAvailable(session: SqlSession): Promise<boolean> {
  const { rows } = await session.query<{ available: boolean }>(
    "SELECT count(*) > 0 AS available FROM pg_available_extensions WHERE name = 'timescaledb'",
  );
  return rows[0]?.available === true;
}

function select(migrations: readonly Migration[], storage: 'timescale' | 'plain'): Migration[] {
  return migrations
    .filter((m) => m.variant === 'any' || m.variant === storage)
    .sort((a, b) => a.version - b.version);
}

async function appliedChecksums(session: SqlSession): Promise<Map<number, string>> {
  const { rows } = await session.query<{ version: number; checksum: string }>(
    'SELECT version, checksum FROM smp_schema_migrations',
  );
  return new Map(rows.map((r) => [Number(r.version), r.checksum]));
}

async function apply(session: SqlSession, migration: Migration): Promise<void> {
  const record = () =>
    session.query(
      'INSERT INTO smp_schema_migrations (version, name, variant, checksum) VALUES ($1, $2, $3, $4)',
      [migration.version, migration.name, migration.variant, migration.checksum],
    );
  try {
    if (migration.transactional) {
      await session.exec('BEGIN');
      try {
        await session.exec(migration.sql);
        await record();
        await session.exec('COMMIT');
      } catch (error) {
        await session.exec('ROLLBACK');
        throw error;
      }
    } else {
      await session.exec(migration.sql);
      await record();
    }
  } catch (cause) {
    throw new SmpError(
      'SMP_MIGRATION_FAILED',
      `migration ${label(migration)} failed: ${(cause as Error).message}`,
      { cause, context: { version: migration.version } },
    );
  }
}

function changed(migration: Migration): SmpError {
  return new SmpError(
    'SMP_MIGRATION_CHANGED',
    `migration ${label(migration)} was edited after it was applied; ` +
      'add a new migration instead of changing an applied one',
    { context: { version: migration.version } },
  );
}

function label(m: Migration): string {
  const suffix = m.variant === 'any' ? '' : `.${m.variant}`;
  return `${String(m.version).padStart(4, '0')}_${m.name}${suffix}`;
}
