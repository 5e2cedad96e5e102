import type { Config } from '../config';
import { migrate, type MigrationResult, type SqlSession } from './migrate';
import { dropPartitionsBefore, ensurePartitions, listPartitions } from './partitions';
import type { Storage } from './storage-choice';
import {
  HOUR_MS,
  describeDays,
  policyWarnings,
  retentionHorizon,
  storagePolicyFrom,
  timeTables,
  type PolicyLine,
  type StoragePolicy,
  type StorageReport,
} from './storage-policy';
import { applyTimescalePolicy } from './timescale-policy';

export interface PreparedDatabase {
  readonly migration: MigrationResult;
  readonly report: StorageReport;
}

/**
 * What every process that owns the schema does at start: apply pending
 * migrations, then bring retention, compression and partitions in line
 * with configuration, and report what is in force.
 */
export async function prepareDatabase(
  session: SqlSession,
  config: Config,
): Promise<PreparedDatabase> {
  const migration = await migrate(session, { storage: config.storage });
  const report = await applyStoragePolicy(session, migration.storage, storagePolicyFrom(config));
  return { migration, report };
}

export async function applyStoragePolicy(
  session: SqlSession,
  storage: Storage,
  policy: StoragePolicy,
  now = Date.now(),
): Promise<StorageReport> {
  await maintainStorage(session, storage, policy, now);
  const lines =
    storage === 'timescale'
      ? await applyTimescalePolicy(session, policy)
      : await describePlain(session, policy);
  lines.push(alertsLine(policy));
  return { storage, lines, warnings: policyWarnings(policy, storage) };
}

export interface MaintenanceResult {
  /** False when another process was maintaining the same database. */
  readonly ran: boolean;
  readonly createdPartitions: readonly string[];
  readonly droppedPartitions: readonly string[];
  readonly deletedAlerts: number;
}

// A second lock, apart from the migrations' one: maintenance runs often,
// and one instance doing it is enough.
const MAINTENANCE_LOCK = 4_242_002;
const DELETE_BATCH = 5000;

/**
 * The periodic part: on plain PostgreSQL, partitions ahead of now and the
 * dropping of expired ones (TimescaleDB's own jobs do that there); on both
 * paths, deleting resolved alerts past their retention.
 */
export async function maintainStorage(
  session: SqlSession,
  storage: Storage,
  policy: StoragePolicy,
  now = Date.now(),
): Promise<MaintenanceResult> {
  const { rows } = await session.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_lock($1) AS locked',
    [MAINTENANCE_LOCK],
  );
  if (rows[0]?.locked !== true) {
    return { ran: false, createdPartitions: [], droppedPartitions: [], deletedAlerts: 0 };
  }
  // DDL waits for every query on the table; better to try again next time
  // than to queue every writer behind a long report query.
  await session.exec("SET lock_timeout = '5s'");
  try {
    const created: string[] = [];
    const dropped: string[] = [];
    if (storage === 'plain') {
      const interval = policy.chunkHours * HOUR_MS;
      // The current partition, the one before (for late data) and the ones ahead.
      const wanted = { from: now - interval, to: now + policy.partitionsAhead * interval };
      for (const table of timeTables) {
        created.push(...(await ensurePartitions(session, table.name, wanted, interval)));
        const horizon = retentionHorizon(policy, table.retention, now);
        if (horizon !== undefined) {
          dropped.push(...(await dropPartitionsBefore(session, table.name, horizon)));
        }
      }
    }
    const deletedAlerts = await deleteExpiredAlerts(session, policy, now);
    return { ran: true, createdPartitions: created, droppedPartitions: dropped, deletedAlerts };
  } finally {
    await session.exec('RESET lock_timeout').catch(() => undefined);
    await session.query('SELECT pg_advisory_unlock($1)', [MAINTENANCE_LOCK]).catch(() => undefined);
  }
}

async function deleteExpiredAlerts(
  session: SqlSession,
  policy: StoragePolicy,
  now: number,
): Promise<number> {
  const horizon = retentionHorizon(policy, 'alerts', now);
  if (horizon === undefined) return 0;
  let total = 0;
  for (;;) {
    const { rows } = await session.query<{ deleted: number }>(
      `WITH gone AS (
         DELETE FROM alerts WHERE alert_id IN (
           SELECT alert_id FROM alerts WHERE resolved_at < $1 ORDER BY resolved_at LIMIT $2)
         RETURNING alert_id),
       events AS (
         DELETE FROM alert_events e USING gone WHERE e.alert_id = gone.alert_id)
       SELECT count(*)::int AS deleted FROM gone`,
      [new Date(horizon), DELETE_BATCH],
    );
    const deleted = rows[0]?.deleted ?? 0;
    total += deleted;
    if (deleted < DELETE_BATCH) return total;
  }
}

async function describePlain(session: SqlSession, policy: StoragePolicy): Promise<PolicyLine[]> {
  const lines: PolicyLine[] = [];
  for (const table of timeTables) {
    const partitions = await listPartitions(session, table.name);
    const span = partitions.length
      ? `, ${partitions.length} present, ${iso(partitions[0]!.from)} to ${iso(partitions.at(-1)!.to)}`
      : ', none yet';
    lines.push({
      table: table.name,
      retention: dropText(policy.retentionDays[table.retention], 'partitions'),
      compression: 'not available on plain PostgreSQL',
      chunks: `partitions of ${policy.chunkHours} h${span}`,
    });
  }
  lines.push({
    table: 'readings_hourly',
    retention: 'as readings',
    compression: 'not available on plain PostgreSQL',
    chunks: 'a view computed from readings when read',
  });
  return lines;
}

function alertsLine(policy: StoragePolicy): PolicyLine {
  const days = policy.retentionDays.alerts;
  return {
    table: 'alerts, alert_events',
    retention:
      days > 0 ? `delete resolved alerts older than ${describeDays(days, '')}` : 'keep all',
    compression: 'none',
    chunks: 'ordinary tables',
  };
}

function dropText(days: number, unit: string): string {
  return days > 0 ? `drop ${unit} older than ${describeDays(days, '')}` : 'keep all';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
