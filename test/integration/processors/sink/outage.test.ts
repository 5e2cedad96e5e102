import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createLogger } from '../../../../lib/log';
import { createRegistry } from '../../../../lib/metrics';
import { startOpsServer, type OpsServer } from '../../../../lib/ops-endpoints';
import { startSink, type ReadingRecord, type RunningSink } from '../../../../processors/sink';
import { TestTelemetry, waitUntil } from '../../../support/kafka-records';
import { startPrivatePostgres, type PrivatePostgres } from '../../../support/servers';
import { sortReadings, storedReadings } from './stored-readings';

const BEFORE_MS = 8_000;
const OUTAGE_MS = 30_000;
const AFTER_MS = 5_000;

interface ReadinessSample {
  readonly at: number;
  readonly status: number;
}

/**
 * PostgreSQL is stopped for 30 s while readings keep arriving. The sink
 * must report not ready meanwhile, wait instead of dropping anything, and
 * once the database is back store exactly what Kafka acknowledged.
 */
describe('the sink through a database outage', () => {
  const run = randomBytes(4).toString('hex');
  let postgres: PrivatePostgres;
  let telemetry: TestTelemetry;
  let sink: RunningSink | undefined;
  let ops: OpsServer | undefined;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    telemetry = new TestTelemetry(postgres.config);
  }, 60_000);

  afterAll(async () => {
    await ops?.close();
    await sink?.stop();
    await telemetry?.close();
    await postgres?.dispose();
  });

  it('pauses, reports not ready, and resumes with nothing lost or doubled', async () => {
    const config = {
      ...postgres.config,
      sinkGroupId: `smp-sink-outage-${run}`,
      sinkTopics: ['readings' as const],
      sinkBatchMaxWaitMs: 100,
      sinkRetryMaxMs: 2_000,
    };
    await telemetry.startAtEnd(`${config.sinkGroupId}.readings`, ['readings']);
    const registry = createRegistry();
    sink = await startSink(config, {
      logger: createLogger({ level: 'silent', name: 'test-outage' }),
      registry,
    });
    ops = await startOpsServer(0, registry, sink.readiness);
    await waitUntil('the sink is ready', async () => (await readyz(ops!.port)) === 200);

    const assets = Array.from({ length: 12 }, (_, i) => `outage-${run}-${i}`);
    const accepted: ReadingRecord[] = [];
    const samples: ReadinessSample[] = [];
    const stopSampling = sampleReadiness(ops.port, samples);
    const producing = produce(assets, accepted, BEFORE_MS + OUTAGE_MS + AFTER_MS);

    await sleep(BEFORE_MS);
    const down = Date.now();
    await postgres.service.stop();
    await sleep(OUTAGE_MS);
    const up = Date.now();
    await postgres.service.start();
    await producing;

    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    try {
      await waitUntil(
        `all ${accepted.length} readings are stored`,
        async () => {
          const { rows } = await pool.query(
            'SELECT count(*)::int AS n FROM reading_meta WHERE asset_id = ANY($1)',
            [assets],
          );
          return rows[0].n >= accepted.length;
        },
        60_000,
        500,
      );
      await waitUntil('the sink is ready again', async () => (await readyz(ops!.port)) === 200);
      stopSampling();

      const stored = await storedReadings(pool, assets);
      expect(stored.length).toBe(accepted.length);
      expect(stored).toEqual(sortReadings(accepted));

      // Not ready for the whole outage (allowing a second to notice), ready before and after.
      const during = samples.filter((s) => s.at > down + 1_000 && s.at < up);
      expect(during.length).toBeGreaterThan(20);
      expect(during.every((s) => s.status === 503)).toBe(true);
      expect(samples.filter((s) => s.at < down).every((s) => s.status === 200)).toBe(true);
      const retries = await registry.getSingleMetric('smp_sink_retries_total')?.get();
      expect(retries?.values.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThan(0);
      if (process.env.SMP_TEST_VERBOSE) {
        const byReason = retries?.values.map((v) => [v.labels.reason, v.value]);
        console.log({ accepted: accepted.length, samplesDuringOutage: during.length, byReason });
      }
    } finally {
      await pool.end();
    }
  }, 150_000);

  async function produce(assets: string[], accepted: ReadingRecord[], forMs: number) {
    const start = Date.now();
    const base = start - 60 * 60 * 1000;
    for (let seq = 0; Date.now() - start < forMs; seq++) {
      const batch = Array.from({ length: 50 }, (_, i) => {
        const n = seq * 50 + i;
        return {
          assetId: assets[n % assets.length]!,
          ts: base + n,
          metrics: { temp: n / 10, pressure: 1 + (n % 13) },
          tags: {},
          receivedAt: null,
        };
      });
      await telemetry.produce('readings', batch);
      accepted.push(...batch);
      await sleep(100);
    }
  }
});

async function readyz(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, {
      signal: AbortSignal.timeout(4000),
    });
    return res.status;
  } catch {
    return 0;
  }
}

function sampleReadiness(port: number, samples: ReadinessSample[]): () => void {
  let running = true;
  void (async () => {
    while (running) {
      samples.push({ at: Date.now(), status: await readyz(port) });
      await sleep(500);
    }
  })();
  return () => {
    running = false;
  };
}
