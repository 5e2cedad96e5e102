import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SmpError } from '../errors';
import { fromRoot } from '../package-root';
import { splitStatements } from './sql-script';
import { chooseStorage, type Storage, type StoragePreference } from './storage-choice';

/**
 * Versioned SQL migrations. Files in lib/db/migrations are named
 * `NNNN_name.sql`, or come as a pair `NNNN_name.timescale.sql` and
 * `NNNN_name.plain.sql` when TimescaleDB and plain PostgreSQL need different
 * statements; the variant is chosen by whether the `timescaledb` extension
 * can be created (see storage-choice.ts); the choice is kept for the life
 * of the database. A file whose first line is `-- smp:no-transaction` runs
 * outside a transaction, one statement at a time (statements such as
 * refreshing a continuous aggregate refuse to run inside one).
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
  readonly storage: Storage;
  /** Why this storage path, for the start-up report. */
  readonly storageReason: string;
  readonly applied: Migration[];
  readonly alreadyApplied: number;
}

export interface MigrateOptions {
  readonly migrations?: readonly Migration[];
  /** Which storage path a database without tables takes; `auto` by default. */
  readonly storage?: StoragePreference;
}

export const MIGRATIONS_DIR = fromRoot('lib', 'db', 'migrations');

// hashtext('smp_schema_migrations') would differ across PostgreSQL versions;
// a fixed number does not.
const LOCK_KEY = 4_242_001;

// The advisory lock keeps processes apart, but two callers sharing one
// connection (an embedded database) would both hold it; they queue here.
let inProcess: Promise<unknown> = Promise.resolve();

export function migrate(
  session: SqlSession,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  const run = inProcess.then(() => migrateLocked(session, options));
  inProcess = run.catch(() => undefined);
  return run;
}

async function migrateLocked(
  session: SqlSession,
  options: MigrateOptions,
): Promise<MigrationResult> {
  // Waiting for another instance's migration, or building an index on a
  // big table, may well take longer than a pool's statement timeout.
  await session.exec('SET statement_timeout = 0');
  await session.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await session.exec(`
      CREATE TABLE IF NOT EXISTS smp_schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        variant    text NOT NULL,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = await appliedMigrations(session);
    const choice = await chooseStorage(session, options.storage ?? 'auto', recordedStorage(done));
    const pending: Migration[] = [];
    for (const migration of select(options.migrations ?? loadMigrations(), choice.storage)) {
      const checksum = done.get(migration.version)?.checksum;
      if (checksum === undefined) pending.push(migration);
      else if (checksum !== migration.checksum) throw changed(migration);
    }
    for (const migration of pending) await apply(session, migration);
    return {
      storage: choice.storage,
      storageReason: choice.reason,
      applied: pending,
      alreadyApplied: done.size,
    };
  } finally {
    // On a broken connection the lock is gone anyway; the original error
    // matters more than a failed clean-up.
    await session.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await session.exec('RESET statement_timeout').catch(() => undefined);
  }
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const pattern = /^(\d{4})_([a-z0-9_]+?)(?:\.(timescale|plain))?\.sql$/;
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = pattern.exec(file);
    if (!match) continue;
    // A checkout with Windows line endings must not look like an edit.
    const sql = readFileSync(path.join(dir, file), 'utf8').replace(/\r\n/g, '\n');
    migrations.push({
      version: Number(match[1]),
      name: match[2]!,
      variant: (match[3] as Migration['variant'] | undefined) ?? 'any',
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
      transactional: !sql.startsWith('-- smp:no-transaction'),
    });
  }
  checkVariants(migrations);
  return migrations;
}

/**
 * A version is one file for both storage paths or a pair of variants: a
 * lone variant would leave the other path a version short without anyone
 * noticing.
 */
function checkVariants(migrations: readonly Migration[]): void {
  const byVersion = new Map<number, string[]>();
  for (const m of migrations)
    byVersion.set(m.version, [...(byVersion.get(m.version) ?? []), m.variant]);
  for (const [version, variants] of byVersion) {
    const pair =
      variants.length === 2 && variants.includes('timescale') && variants.includes('plain');
    if (!(pair || (variants.length === 1 && variants[0] === 'any'))) {
      throw new SmpError(
        'SMP_MIGRATION_FAILED',
        `migration ${String(version).padStart(4, '0')} has the variants ${variants.join(', ')}; ` +
          'expected one .sql file or a .timescale.sql and .plain.sql pair',
      );
    }
  }
}

function select(migrations: readonly Migration[], storage: Storage): Migration[] {
  return migrations
    .filter((m) => m.variant === 'any' || m.variant === storage)
    .sort((a, b) => a.version - b.version);
}

interface AppliedMigration {
  readonly variant: Migration['variant'];
  readonly checksum: string;
}

async function appliedMigrations(session: SqlSession): Promise<Map<number, AppliedMigration>> {
  const { rows } = await session.query<AppliedMigration & { version: number }>(
    'SELECT version, variant, checksum FROM smp_schema_migrations',
  );
  return new Map(rows.map((r) => [Number(r.version), r]));
}

function recordedStorage(done: ReadonlyMap<number, AppliedMigration>): Storage | undefined {
  for (const { variant } of done.values()) if (variant !== 'any') return variant;
  return undefined;
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
        await session.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } else {
      for (const statement of splitStatements(migration.sql)) await session.exec(statement);
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
