import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sqlState } from '../../lib/db';

/** A table rows are copied into, with the columns the encoded rows hold. */
export interface CopyTarget {
  readonly table: string;
  readonly columns: readonly string[];
}

export interface CopyOutcome {
  readonly table: string;
  readonly inserted: number;
  /** Rows whose key was already stored, and so were left out. */
  readonly duplicates: number;
}

export type CopyMode = 'direct-first' | 'merge';

/**
 * Copies binary-encoded rows into a table inside the caller's transaction,
 * so that rows already stored are skipped, never doubled.
 *
 * The first attempt copies straight into the table: as fast as loading
 * gets. If a key is already there (the batch is being replayed after a
 * crash, or holds a record twice) PostgreSQL refuses the whole COPY; the
 * attempt is rolled back to a savepoint and the rows go through a staging
 * table instead, from which `INSERT ... ON CONFLICT DO NOTHING` takes only
 * the new ones. `merge` skips the first attempt.
 */
export async function copyInto(
  client: PoolClient,
  target: CopyTarget,
  rows: readonly Buffer[],
  rowCount: number,
  mode: CopyMode = 'direct-first',
): Promise<CopyOutcome> {
  const columns = target.columns.join(', ');
  if (mode === 'direct-first') {
    await client.query('SAVEPOINT smp_copy');
    try {
      const inserted = await streamCopy(client, `COPY ${target.table} (${columns})`, rows);
      await client.query('RELEASE SAVEPOINT smp_copy');
      return { table: target.table, inserted, duplicates: 0 };
    } catch (error) {
      if (sqlState(error) !== '23505') throw error;
      await client.query('ROLLBACK TO SAVEPOINT smp_copy');
    }
  }

  const stage = `smp_stage_${target.table}`;
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${target.table} INCLUDING DEFAULTS) ` +
      'ON COMMIT DELETE ROWS',
  );
  await client.query(`TRUNCATE ${stage}`);
  await streamCopy(client, `COPY ${stage} (${columns})`, rows);
  const result = await client.query(
    `INSERT INTO ${target.table} (${columns}) SELECT ${columns} FROM ${stage} ` +
      'ON CONFLICT DO NOTHING',
  );
  const inserted = result.rowCount ?? 0;
  return { table: target.table, inserted, duplicates: rowCount - inserted };
}

async function streamCopy(
  client: PoolClient,
  copy: string,
  rows: readonly Buffer[],
): Promise<number> {
  const stream = client.query(copyFrom(`${copy} FROM STDIN (FORMAT binary)`));
  await pipeline(Readable.from(rows), stream);
  return stream.rowCount;
}
