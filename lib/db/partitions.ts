import type { SqlSession } from './migrate';

/**
 * Range partitions of the time-series tables on plain PostgreSQL. A
 * partition covers [from, to) in epoch milliseconds. New partitions follow
 * a grid of the configured interval aligned to the Unix epoch; when the
 * interval changes, existing partitions keep their bounds and new ones are
 * clipped to the gaps between them, so ranges never overlap.
 */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

export interface Partition extends TimeRange {
  readonly name: string;
}

/** The partitions of `table`, oldest first; a DEFAULT partition, if any, is left out. */
export async function listPartitions(session: SqlSession, table: string): Promise<Partition[]> {
  const { rows } = await session.query<{ name: string; lo: Date | null; hi: Date | null }>(
    `SELECT c.relname AS name,
            (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]
              ::timestamptz AS lo,
            (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]
              ::timestamptz AS hi
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass`,
    [table],
  );
  return rows
    .filter((r) => r.lo !== null && r.hi !== null)
    .map((r) => ({ name: r.name, from: r.lo!.getTime(), to: r.hi!.getTime() }))
    .sort((a, b) => a.from - b.from);
}

/**
 * The ranges to create so that `wanted` is covered: the grid slots that
 * intersect it, minus what existing partitions already cover.
 */
export function missingRanges(
  existing: readonly TimeRange[],
  wanted: TimeRange,
  intervalMs: number,
): TimeRange[] {
  const missing: TimeRange[] = [];
  const first = Math.floor(wanted.from / intervalMs) * intervalMs;
  for (let slot = first; slot < wanted.to; slot += intervalMs) {
    missing.push(...subtract({ from: slot, to: slot + intervalMs }, existing));
  }
  return missing;
}

/**
 * Creates the partitions `wanted` lacks; returns the names created. Sink
 * writers and the maintenance may want the same partition at once, so the
 * check and the creation happen under a transaction-level advisory lock.
 */
export async function ensurePartitions(
  session: SqlSession,
  table: string,
  wanted: TimeRange,
  intervalMs: number,
): Promise<string[]> {
  if (missingRanges(await listPartitions(session, table), wanted, intervalMs).length === 0) {
    return [];
  }
  await session.exec('BEGIN');
  try {
    await session.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
    const existing = await listPartitions(session, table);
    const created: string[] = [];
    for (const range of missingRanges(existing, wanted, intervalMs)) {
      const name = partitionName(table, range.from);
      await session.exec(
        `CREATE TABLE ${quoteIdent(name)} PARTITION OF ${quoteIdent(table)} ` +
          `FOR VALUES FROM ('${iso(range.from)}') TO ('${iso(range.to)}')`,
      );
      created.push(name);
    }
    await session.exec('COMMIT');
    return created;
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

const PARTITION_LOCK = 4_242_003;

/** Drops the partitions whose every row is older than `horizon`; returns their names. */
export async function dropPartitionsBefore(
  session: SqlSession,
  table: string,
  horizon: number,
): Promise<string[]> {
  const expired = (await listPartitions(session, table)).filter((p) => p.to <= horizon);
  for (const partition of expired) await session.exec(`DROP TABLE ${quoteIdent(partition.name)}`);
  return expired.map((p) => p.name);
}

export function partitionName(table: string, from: number): string {
  const d = new Date(from);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  return `${table}_p${date}_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The parts of `range` that no range of `cover` overlaps. */
function subtract(range: TimeRange, cover: readonly TimeRange[]): TimeRange[] {
  let pieces: TimeRange[] = [range];
  for (const c of cover) {
    if (c.to <= range.from || c.from >= range.to) continue;
    pieces = pieces.flatMap((p) => {
      const left = { from: p.from, to: Math.min(p.to, c.from) };
      const right = { from: Math.max(p.from, c.to), to: p.to };
      return [left, right].filter((r) => r.from < r.to);
    });
  }
  return pieces;
}
