import type { SqlSession } from './migrate';
import { timeTables, type PolicyLine, type StoragePolicy } from './storage-policy';

/**
 * Brings TimescaleDB's chunk intervals and background jobs (retention,
 * compression, continuous-aggregate refresh) in line with the policy. A
 * job is replaced only when its settings differ, so restarting a process
 * does not keep pushing its next run further away.
 */
export async function applyTimescalePolicy(
  session: SqlSession,
  policy: StoragePolicy,
): Promise<PolicyLine[]> {
  const chunk = `${policy.chunkHours} hours`;
  for (const table of timeTables) {
    await session.query('SELECT set_chunk_time_interval($1::regclass, $2::interval)', [
      table.name,
      chunk,
    ]);
    await setRetention(session, table.name, policy.retentionDays[table.retention]);
    await setJob(session, table.name, 'policy_compression', {
      settings: days(policy.compressionAfterDays),
      add: 'SELECT add_compression_policy($1::regclass, compress_after => $2::interval)',
      remove: 'SELECT remove_compression_policy($1::regclass, if_exists => true)',
    });
  }
  await setRetention(session, HOURLY, policy.retentionDays.readingsHourly);
  await setJob(session, HOURLY, 'policy_refresh_continuous_aggregate', {
    settings: refreshWindow(policy),
    add:
      'SELECT add_continuous_aggregate_policy($1::regclass, start_offset => $2::interval, ' +
      "end_offset => $3::interval, schedule_interval => INTERVAL '30 minutes')",
    remove: 'SELECT remove_continuous_aggregate_policy($1::regclass, if_exists => true)',
  });
  return describeTimescale(session);
}

const HOURLY = 'readings_hourly';

interface JobSpec {
  /** The job's interval arguments, or undefined for no job. */
  readonly settings: readonly string[] | undefined;
  readonly add: string;
  readonly remove: string;
}

// The keys under which each job keeps its interval arguments.
const configKeys: Readonly<Record<string, readonly string[]>> = {
  policy_retention: ['drop_after'],
  policy_compression: ['compress_after'],
  policy_refresh_continuous_aggregate: ['start_offset', 'end_offset'],
};

function setRetention(session: SqlSession, table: string, retentionDays: number): Promise<void> {
  return setJob(session, table, 'policy_retention', {
    settings: days(retentionDays),
    add: 'SELECT add_retention_policy($1::regclass, drop_after => $2::interval)',
    remove: 'SELECT remove_retention_policy($1::regclass, if_exists => true)',
  });
}

async function setJob(
  session: SqlSession,
  table: string,
  proc: string,
  spec: JobSpec,
): Promise<void> {
  const current = await jobSettings(session, table, proc);
  if (await sameIntervals(session, current, spec.settings)) return;
  await session.query(spec.remove, [table]);
  if (spec.settings) await session.query(spec.add, [table, ...spec.settings]);
}

async function jobSettings(
  session: SqlSession,
  table: string,
  proc: string,
): Promise<string[] | undefined> {
  const { rows } = await session.query<{ config: Record<string, string> }>(
    `SELECT config FROM timescaledb_information.jobs
      WHERE proc_name = $1 AND hypertable_name = $2 AND hypertable_schema = current_schema()`,
    [proc, table],
  );
  const config = rows[0]?.config;
  return config && configKeys[proc]!.map((key) => String(config[key]));
}

async function sameIntervals(
  session: SqlSession,
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): Promise<boolean> {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  const { rows } = await session.query<{ same: boolean }>(
    'SELECT bool_and(x::interval = y::interval) AS same FROM unnest($1::text[], $2::text[]) AS t(x, y)',
    [a, b],
  );
  return rows[0]?.same === true;
}

function days(n: number): string[] | undefined {
  return n > 0 ? [`${n} days`] : undefined;
}

/**
 * The refresh window must not reach back past the readings' retention, or
 * a refresh would find the raw rows gone and erase their hourly statistics.
 */
function refreshWindow(policy: StoragePolicy): string[] {
  const retention = policy.retentionDays.readings;
  const startDays = retention > 0 ? Math.min(7, retention) : 7;
  return [`${startDays} days`, '1 hour'];
}

async function describeTimescale(session: SqlSession): Promise<PolicyLine[]> {
  const { rows } = await session.query<{
    name: string;
    chunk: string | null;
    drop_after: string | null;
    compress_after: string | null;
  }>(
    `SELECT t.name,
            (SELECT d.time_interval::text FROM timescaledb_information.dimensions d
              WHERE d.hypertable_name = t.name AND d.hypertable_schema = current_schema()
              LIMIT 1) AS chunk,
            (SELECT j.config->>'drop_after' FROM timescaledb_information.jobs j
              WHERE j.proc_name = 'policy_retention' AND j.hypertable_name = t.name
                AND j.hypertable_schema = current_schema()) AS drop_after,
            (SELECT j.config->>'compress_after' FROM timescaledb_information.jobs j
              WHERE j.proc_name = 'policy_compression' AND j.hypertable_name = t.name
                AND j.hypertable_schema = current_schema()) AS compress_after
       FROM unnest($1::text[]) AS t(name)`,
    [[...timeTables.map((t) => t.name), HOURLY]],
  );
  return rows.map((r) => ({
    table: r.name,
    retention: r.drop_after ? `drop chunks older than ${r.drop_after}` : 'keep all',
    compression: compressionText(r.name, r.compress_after),
    chunks:
      r.name === HOURLY
        ? 'continuous aggregate, refreshed every 30 minutes'
        : `chunks of ${r.chunk}`,
  }));
}

function compressionText(table: string, after: string | null): string {
  if (table === HOURLY) return 'not compressed';
  return after ? `compress chunks older than ${after}` : 'off';
}
