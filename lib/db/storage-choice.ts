import { SmpError, messageOf } from '../errors';
import type { SqlSession } from './migrate';

/** The two ways the time-series tables are laid out. */
export type Storage = 'timescale' | 'plain';
export type StoragePreference = 'auto' | Storage;

export interface StorageChoice {
  readonly storage: Storage;
  /** Why, for the start-up report. */
  readonly reason: string;
}

/**
 * Decides the storage path of a database. The decision is taken once, when
 * the first variant migration is applied, and read back from the applied
 * migrations ever after: a database built on hypertables must not be
 * migrated as plain PostgreSQL because the extension went missing.
 *
 * "Available" is not enough for TimescaleDB: the package may be installed
 * but not preloaded, or the role may lack the right to create it. So the
 * extension is created, and the outcome decides. It stays created when
 * that works: a rolled-back attempt would leave its library loaded in the
 * session, and TimescaleDB refuses to be created a second time there.
 */
export async function chooseStorage(
  session: SqlSession,
  preference: StoragePreference,
  recorded: Storage | undefined,
): Promise<StorageChoice> {
  const installed = await extensionInstalled(session);
  if (recorded) return keepRecorded(recorded, preference, installed);
  if (preference === 'plain') return { storage: 'plain', reason: 'SMP_STORAGE=plain' };
  if (installed) return { storage: 'timescale', reason: 'the timescaledb extension is installed' };

  const refusal = await createTimescale(session);
  if (refusal === undefined) {
    return { storage: 'timescale', reason: 'the timescaledb extension can be created' };
  }
  if (preference === 'timescale') {
    throw new SmpError(
      'SMP_STORAGE_MISMATCH',
      `SMP_STORAGE=timescale, but the timescaledb extension cannot be created: ${refusal}`,
    );
  }
  return { storage: 'plain', reason: `timescaledb cannot be used: ${refusal}` };
}

function keepRecorded(
  recorded: Storage,
  preference: StoragePreference,
  installed: boolean,
): StorageChoice {
  if (preference !== 'auto' && preference !== recorded) {
    throw new SmpError(
      'SMP_STORAGE_MISMATCH',
      `SMP_STORAGE=${preference}, but this database was set up for ${recorded} storage; ` +
        'the storage path of an existing database cannot change (use a new database)',
    );
  }
  if (recorded === 'timescale' && !installed) {
    throw new SmpError(
      'SMP_STORAGE_MISMATCH',
      'this database was set up for TimescaleDB, but the timescaledb extension is not installed',
    );
  }
  return { storage: recorded, reason: 'chosen when the database was first migrated' };
}

async function extensionInstalled(session: SqlSession): Promise<boolean> {
  const { rows } = await session.query<{ installed: boolean }>(
    "SELECT count(*) > 0 AS installed FROM pg_extension WHERE extname = 'timescaledb'",
  );
  return rows[0]?.installed === true;
}

/** Undefined when the extension was created, else the reason it could not be. */
async function createTimescale(session: SqlSession): Promise<string | undefined> {
  const { rows } = await session.query<{ available: boolean }>(
    "SELECT count(*) > 0 AS available FROM pg_available_extensions WHERE name = 'timescaledb'",
  );
  if (rows[0]?.available !== true) return 'the extension is not installed on the server';
  try {
    await session.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}
