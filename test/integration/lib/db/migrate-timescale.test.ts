import { loadConfig } from '../../../../lib/config';
import {
  applyStoragePolicy,
  migrate,
  storagePolicyFrom,
  type SqlSession,
} from '../../../../lib/db';
import { openPglite, type EmbeddedDatabase } from '../../../support/databases';

const policy = storagePolicyFrom(loadConfig());

interface Job {
  readonly proc_name: string;
  readonly hypertable_name: string;
  readonly job_id: number;
  readonly config: Record<string, string>;
}

/**
 * The TimescaleDB path, in-process: PGlite compiled with the timescaledb
 * extension runs the same migration files and storage policy as a server.
 */
describe('migrations on TimescaleDB', () => {
  let db: EmbeddedDatabase;
  let session: SqlSession;

  beforeAll(async () => {
    db = await openPglite({ timescale: true });
    session = db.session;
  }, 60_000);

  afterAll(async () => {
    await db.close();
  });

  it('apply every migration once even when started several times at once, then nothing', async () => {
    const results = await Promise.all([migrate(session), migrate(session), migrate(session)]);
    const again = await migrate(session);

    expect(results.map((r) => r.storage)).toEqual(['timescale', 'timescale', 'timescale']);
    const applied = results.flatMap((r) => r.applied);
    expect(applied.map((m) => m.version).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(applied.filter((m) => m.variant === 'plain')).toEqual([]);
    expect(again.applied).toEqual([]);
    expect(again.storageReason).toBe('chosen when the database was first migrated');
  });

  it('make hypertables with compression settings and an hourly continuous aggregate', async () => {
    const hypertables = await session.query<{
      hypertable_name: string;
      compression_enabled: boolean;
    }>(
      `SELECT hypertable_name, compression_enabled FROM timescaledb_information.hypertables
        WHERE hypertable_schema = 'public' ORDER BY 1`,
    );
    expect(hypertables.rows).toEqual([
      { hypertable_name: 'feature_vectors', compression_enabled: true },
      { hypertable_name: 'predictions', compression_enabled: true },
      { hypertable_name: 'reading_meta', compression_enabled: true },
      { hypertable_name: 'readings', compression_enabled: true },
    ]);
    const segmentBy = await session.query<{ attname: string }>(
      `SELECT attname FROM timescaledb_information.compression_settings
        WHERE hypertable_name = 'readings' AND segmentby_column_index IS NOT NULL`,
    );
    expect(segmentBy.rows).toEqual([{ attname: 'asset_id' }]);
    const aggregates = await session.query<{ view_name: string; materialized_only: boolean }>(
      'SELECT view_name, materialized_only FROM timescaledb_information.continuous_aggregates',
    );
    expect(aggregates.rows).toEqual([{ view_name: 'readings_hourly', materialized_only: false }]);
  });

  it('apply retention, compression and refresh policies from configuration, and change them when it changes', async () => {
    const report = await applyStoragePolicy(session, 'timescale', policy);
    const first = await jobs();

    expect(report.lines.find((l) => l.table === 'readings')).toEqual({
      table: 'readings',
      retention: 'drop chunks older than 30 days',
      compression: 'compress chunks older than 7 days',
      chunks: 'chunks of 1 day',
    });
    expect(first.get('policy_retention/predictions')?.config.drop_after).toBe('365 days');
    expect(first.get('policy_retention/readings_hourly')?.config.drop_after).toBe('730 days');
    expect(first.get('policy_compression/feature_vectors')?.config.compress_after).toBe('7 days');
    expect(first.get('policy_refresh_continuous_aggregate/readings_hourly')?.config).toMatchObject({
      start_offset: '7 days',
      end_offset: '01:00:00',
    });

    // The same configuration again leaves the jobs as they are.
    await applyStoragePolicy(session, 'timescale', policy);
    expect(idsOf(await jobs())).toEqual(idsOf(first));

    const changed = {
      ...policy,
      chunkHours: 6,
      compressionAfterDays: 0,
      retentionDays: { ...policy.retentionDays, readings: 3 },
    };
    const after = await applyStoragePolicy(session, 'timescale', changed);
    const now = await jobs();
    expect(now.get('policy_retention/readings')?.config.drop_after).toBe('3 days');
    expect(now.get('policy_retention/predictions')?.job_id).toBe(
      first.get('policy_retention/predictions')?.job_id,
    );
    expect([...now.keys()].filter((k) => k.startsWith('policy_compression'))).toEqual([]);
    // The refresh window never reaches past the raw data's retention.
    expect(
      now.get('policy_refresh_continuous_aggregate/readings_hourly')?.config.start_offset,
    ).toBe('3 days');
    expect(after.lines.find((l) => l.table === 'readings')?.chunks).toBe('chunks of 06:00:00');

    await applyStoragePolicy(session, 'timescale', policy);
  });

  it('store nothing twice when a batch is replayed, also into a compressed chunk', async () => {
    const base = Date.now() - 3 * 24 * 3600 * 1000;
    const insert = () =>
      session.query(
        `INSERT INTO readings (asset_id, ts, metric, value)
         SELECT 'ts-asset', to_timestamp(($1::float8 + i * 60000) / 1000), m, i
           FROM generate_series(0, 119) i, unnest(ARRAY['temp', 'vib']) m
         ON CONFLICT DO NOTHING`,
        [base],
      );
    await insert();
    await session.query(
      "SELECT compress_chunk(c) FROM show_chunks('readings', older_than => INTERVAL '2 days') c",
    );
    const compressed = await session.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM timescaledb_information.chunks
        WHERE hypertable_name = 'readings' AND is_compressed`,
    );
    await insert();

    expect(compressed.rows[0]!.n).toBeGreaterThan(0);
    const { rows } = await session.query<{ n: number; sum: number }>(
      "SELECT count(*)::int AS n, sum(value) AS sum FROM readings WHERE asset_id = 'ts-asset'",
    );
    expect(rows[0]).toEqual({ n: 240, sum: 2 * ((119 * 120) / 2) });

    await session.exec("CALL refresh_continuous_aggregate('readings_hourly', NULL, NULL)");
    const hourly = await session.query<{ samples: number }>(
      `SELECT sum(samples)::int AS samples FROM readings_hourly
        WHERE asset_id = 'ts-asset' AND metric = 'temp'`,
    );
    expect(hourly.rows[0]!.samples).toBe(120);
  });

  async function jobs(): Promise<Map<string, Job>> {
    const { rows } = await session.query<Job>(
      `SELECT job_id, proc_name, hypertable_name, config FROM timescaledb_information.jobs
        WHERE hypertable_name IS NOT NULL`,
    );
    return new Map(rows.map((j) => [`${j.proc_name}/${j.hypertable_name}`, j]));
  }
});

function idsOf(jobs: Map<string, Job>): Record<string, number> {
  return Object.fromEntries([...jobs].map(([k, j]) => [k, j.job_id]));
}
