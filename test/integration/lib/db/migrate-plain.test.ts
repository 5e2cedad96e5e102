import { spawn } from 'node:child_process';
import { loadConfig } from '../../../../lib/config';
import {
  applyStoragePolicy,
  loadMigrations,
  maintainStorage,
  migrate,
  storagePolicyFrom,
  withSession,
  DAY_MS,
  HOUR_MS,
  listPartitions,
} from '../../../../lib/db';
import { fromRoot } from '../../../../lib/package-root';
import { createTestSchema, type TestSchema } from '../../../support/databases';

const config = loadConfig();
const policy = storagePolicyFrom(config);

describe('migrations on plain PostgreSQL', () => {
  let schema: TestSchema;

  beforeEach(async () => {
    schema = await createTestSchema();
  });

  afterEach(async () => {
    await schema.drop();
  });

  it('apply every migration once, and find nothing to do the second time', async () => {
    const pool = schema.pool(1);
    const first = await withSession(pool, (s) => migrate(s));
    const second = await withSession(pool, (s) => migrate(s));

    expect(first.storage).toBe('plain');
    expect(first.storageReason).toMatch(/timescaledb cannot be used/);
    expect(first.applied.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
    expect(first.applied.every((m) => m.variant !== 'timescale')).toBe(true);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(5);

    const { rows } = await pool.query<{ relname: string }>(
      `SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY 1`,
      [schema.name],
    );
    expect(rows.map((r) => r.relname)).toEqual([
      'feature_vectors',
      'predictions',
      'reading_meta',
      'readings',
    ]);
  });

  it('apply each migration exactly once when several pools migrate at the same time', async () => {
    const pools = Array.from({ length: 4 }, () => schema.pool(1));
    const results = await Promise.all(pools.map((p) => withSession(p, (s) => migrate(s))));

    const applied = results.flatMap((r) => r.applied.map((m) => m.version)).sort();
    expect(applied).toEqual([1, 2, 3, 4, 5]);
    const { rows } = await pools[0]!.query('SELECT version FROM smp_schema_migrations');
    expect(rows).toHaveLength(5);
  });

  it('apply each migration exactly once when several processes run smp db migrate at once', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => runMigrateCommand(schema.url)));

    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    const outputs = runs.map((r) => r.stdout).sort();
    expect(outputs.filter((o) => o.includes('applied 5 migration(s)'))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('the schema is up to date'))).toHaveLength(2);
    for (const output of outputs) expect(output).toMatch(/readings\s+drop partitions older than/);
    const { rows } = await schema
      .pool(1)
      .query('SELECT count(*)::int AS n FROM smp_schema_migrations');
    expect(rows[0].n).toBe(5);
  });

  it('refuse to go on when an applied migration was edited', async () => {
    const pool = schema.pool(1);
    await withSession(pool, (s) => migrate(s));
    const edited = loadMigrations().map((m) =>
      m.version === 3 ? { ...m, checksum: 'edited' } : m,
    );

    await expect(
      withSession(pool, (s) => migrate(s, { migrations: edited })),
    ).rejects.toMatchObject({
      code: 'SMP_MIGRATION_CHANGED',
    });
  });

  it('refuse SMP_STORAGE=timescale where the extension cannot be created, and keep a plain database plain', async () => {
    const pool = schema.pool(1);
    await expect(
      withSession(pool, (s) => migrate(s, { storage: 'timescale' })),
    ).rejects.toMatchObject({
      code: 'SMP_STORAGE_MISMATCH',
    });
    await withSession(pool, (s) => migrate(s, { storage: 'plain' }));
    await expect(withSession(pool, (s) => migrate(s, { storage: 'timescale' }))).rejects.toThrow(
      /set up for plain storage/,
    );
  });

  it('create partitions ahead, create missing ones for backfill, and drop expired ones', async () => {
    const pool = schema.pool(1);
    const now = Date.UTC(2026, 5, 15, 12);
    await withSession(pool, (s) => migrate(s));
    const report = await withSession(pool, (s) => applyStoragePolicy(s, 'plain', policy, now));
    expect(report.lines.find((l) => l.table === 'readings')?.retention).toBe(
      'drop partitions older than 30 days',
    );

    const readings = await withSession(pool, (s) => listPartitions(s, 'readings'));
    expect(readings[0]!.from).toBe(Date.UTC(2026, 5, 14));
    expect(readings.at(-1)!.to).toBe(Date.UTC(2026, 5, 15) + (policy.partitionsAhead + 1) * DAY_MS);

    // A different interval later on fills only the gaps: no overlap errors.
    const sixHours = { ...policy, chunkHours: 6 };
    const later = now + 10 * DAY_MS;
    await withSession(pool, (s) => maintainStorage(s, 'plain', sixHours, later));
    const mixed = await withSession(pool, (s) => listPartitions(s, 'readings'));
    for (let i = 1; i < mixed.length; i++)
      expect(mixed[i]!.from).toBeGreaterThanOrEqual(mixed[i - 1]!.to);
    expect(mixed.some((p) => p.to - p.from === 6 * HOUR_MS)).toBe(true);

    await pool.query(`INSERT INTO readings VALUES ('a', $1, 'temp', 1), ('a', $2, 'temp', 2)`, [
      new Date(now),
      new Date(later),
    ]);
    const result = await withSession(pool, (s) =>
      maintainStorage(s, 'plain', policy, now + 35 * DAY_MS),
    );
    expect(result.droppedPartitions).toContain('readings_p20260615_0000');
    const { rows } = await pool.query('SELECT value FROM readings');
    expect(rows).toEqual([{ value: 2 }]);
  });

  it('delete resolved alerts past their retention and never open ones', async () => {
    const pool = schema.pool(1);
    await withSession(pool, (s) => migrate(s));
    const now = Date.now();
    const old = new Date(now - 800 * DAY_MS);
    for (const [id, resolved] of [
      ['resolved-old', old],
      ['open-old', null],
    ] as const) {
      await pool.query(
        `INSERT INTO alerts (alert_id, asset_id, rule, pipeline, severity, message, state,
                             opened_at, raised_at, resolved_at, last_event_time, last_emitted_at)
         VALUES ($1, 'a', 'r', 'p', 'WARNING', 'm', $2, $3, $3, $4, $3, $3)`,
        [id, resolved ? 'RESOLVED' : 'RAISED', old, resolved],
      );
      await pool.query(
        `INSERT INTO alert_events (alert_id, state, asset_id, rule, pipeline, severity, message,
                                   event_time, emitted_at)
         VALUES ($1, 'RAISED', 'a', 'r', 'p', 'WARNING', 'm', $2, $2)`,
        [id, old],
      );
    }

    const result = await withSession(pool, (s) => maintainStorage(s, 'plain', policy, now));

    expect(result.deletedAlerts).toBe(1);
    const alerts = await pool.query('SELECT alert_id FROM alerts');
    const events = await pool.query('SELECT alert_id FROM alert_events');
    expect(alerts.rows).toEqual([{ alert_id: 'open-old' }]);
    expect(events.rows).toEqual([{ alert_id: 'open-old' }]);
  });
});

function runMigrateCommand(databaseUrl: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fromRoot('bin', 'smp.js'), 'db', 'migrate'], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: stdout + stderr }));
  });
}
