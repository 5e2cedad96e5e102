import { randomBytes } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { Pool } from 'pg';
import { loadConfig, type Config } from '../../../../lib/config';
import { createKafka } from '../../../../lib/kafka/client';
import { deadLetterHeaders } from '../../../../lib/kafka/dead-letter';
import { topics } from '../../../../lib/kafka/topics';
import { createLogger } from '../../../../lib/log';
import { createRegistry, type Registry } from '../../../../lib/metrics';
import {
  startSink,
  type AlertRecord,
  type FeatureVectorRecord,
  type PredictionRecord,
  type ReadingRecord,
  type RunningSink,
} from '../../../../processors/sink';
import { createTestSchema, type TestSchema } from '../../../support/databases';
import { TestTelemetry, waitUntil } from '../../../support/kafka-records';
import { sortReadings, storedReadings } from './stored-readings';

const logger = createLogger({ level: 'silent', name: 'test-sink' });
const ROLES = ['readings', 'features', 'predictions', 'alerts'] as const;

describe('the sink against the real stack', () => {
  const run = randomBytes(4).toString('hex');
  const config: Config = {
    ...loadConfig(),
    sinkGroupId: `smp-sink-test-${run}`,
    sinkBatchMaxWaitMs: 50,
  };
  const telemetry = new TestTelemetry(config);
  let schema: TestSchema;
  let pool: Pool;
  let registry: Registry;
  let sink: RunningSink;
  let readingsStart: { partition: number; offset: string }[];

  beforeAll(async () => {
    schema = await createTestSchema();
    pool = schema.pool(12);
    for (const role of ROLES) await telemetry.startAtEnd(`${config.sinkGroupId}.${role}`, [role]);
    readingsStart = await telemetry.endOffsets('readings');
    registry = createRegistry();
    sink = await startSink(config, { logger, registry, pool });
    // A database-side rule no record check knows about, standing in for
    // any row PostgreSQL refuses.
    await pool.query(`
      CREATE FUNCTION refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.metric = 'refused' THEN
          RAISE EXCEPTION 'metric refused by a test rule' USING ERRCODE = '22023';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_marked BEFORE INSERT ON readings
        FOR EACH ROW EXECUTE FUNCTION refuse_marked();`);
  });

  afterAll(async () => {
    await sink?.stop();
    await telemetry.close();
    await schema.drop();
  });

  it('stores every reading, metric by metric, with its tags and receive time', async () => {
    const assets = [`pump-${run}`, `泵-${run} <7>`, `turbine/${run}`];
    const base = Date.now() - 60 * 60 * 1000;
    const readings: ReadingRecord[] = [];
    for (let i = 0; i < 300; i++) {
      readings.push({
        assetId: assets[i % 3]!,
        ts: base + i * 1000,
        metrics: { temp: 20 + i / 7, vib_rms: i / 1000, ...(i % 2 ? { rpm: 1500 + i } : {}) },
        tags: i % 5 ? { site: 'a', line: String(i % 4) } : {},
        receivedAt: i % 10 ? base + i * 1000 + 5 : null,
      });
    }
    await telemetry.produce('readings', readings);

    await waitUntil('all readings are stored', async () => (await countMeta(assets)) === 300);
    expect(await storedReadings(pool, assets)).toEqual(sortReadings(readings));
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n FROM readings WHERE asset_id = ANY($1)',
      [assets],
    );
    expect(rows[0].n).toBe(300 * 2 + 150);
  });

  it('stores nothing twice when the same records are consumed again', async () => {
    const replayGroup = `${config.sinkGroupId}-replay`;
    await telemetry.setOffsets(`${replayGroup}.readings`, 'readings', readingsStart);
    const before = await pool.query('SELECT count(*)::int AS n FROM readings');
    const replayRegistry = createRegistry();
    const replay = await startSink(
      { ...config, sinkGroupId: replayGroup, sinkTopics: ['readings'] },
      { logger, registry: replayRegistry, pool },
    );
    try {
      await waitUntil('the replay has caught up', async () => {
        const metric = await replayRegistry.getSingleMetric('smp_sink_rows_duplicate_total')?.get();
        const duplicates =
          metric?.values.find((v) => v.labels.table === 'reading_meta')?.value ?? 0;
        return duplicates >= 300;
      });
    } finally {
      await replay.stop();
    }
    const after = await pool.query('SELECT count(*)::int AS n FROM readings');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('stores features and predictions, a new model version beside the old one', async () => {
    const assetId = `engine-${run}`;
    const end = Date.now() - 10_000;
    const vector: FeatureVectorRecord = {
      assetId,
      pipeline: 'rul',
      windowStart: end - 60_000,
      windowEnd: end,
      recordCount: 60,
      features: { temp_mean: 71.5, temp_max: 80 },
      missingMetrics: ['vib_rms'],
      closeReason: 'WATERMARK',
      emittedAt: end + 5,
    };
    const prediction = (modelVersion: string, rul: number): PredictionRecord => ({
      assetId,
      pipeline: 'rul',
      model: 'rul-cmapss',
      modelVersion,
      windowStart: end - 60_000,
      windowEnd: end,
      outputs: { rul },
      predictedAt: end + 10,
    });
    await telemetry.produce('features', [vector, vector]);
    await telemetry.produce('predictions', [
      prediction('1', 120),
      prediction('1', 999),
      prediction('2', 118),
    ]);

    await waitUntil('the predictions are stored', async () => {
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM predictions WHERE asset_id = $1',
        [assetId],
      );
      return rows[0].n === 2;
    });
    const features = await pool.query(
      `SELECT record_count, features, missing_metrics, close_reason FROM feature_vectors WHERE asset_id = $1`,
      [assetId],
    );
    expect(features.rows).toEqual([
      {
        record_count: 60,
        features: { temp_mean: 71.5, temp_max: 80 },
        missing_metrics: ['vib_rms'],
        close_reason: 'WATERMARK',
      },
    ]);
    const predictions = await pool.query(
      'SELECT model_version, outputs FROM predictions WHERE asset_id = $1 ORDER BY model_version',
      [assetId],
    );
    // The first record of a key wins: a re-sent prediction does not overwrite it.
    expect(predictions.rows).toEqual([
      { model_version: '1', outputs: { rul: 120 } },
      { model_version: '2', outputs: { rul: 118 } },
    ]);
  });

  it('keeps an alert resolved when its raise arrives after its resolve, and every event once', async () => {
    const assetId = `pump-alerts-${run}`;
    const t0 = Date.now() - 120_000;
    const event = (
      alertId: string,
      state: AlertRecord['state'],
      at: number,
      message: string,
    ): AlertRecord => ({
      alertId,
      assetId,
      rule: 'temp-high',
      pipeline: 'pumps',
      state,
      severity: 'CRITICAL',
      message,
      value: 91.5,
      eventTime: at,
      emittedAt: at + 100,
    });
    await telemetry.produce('alerts', [
      event(`late-raise-${run}`, 'RESOLVED', t0 + 60_000, 'back to normal'),
      event(`open-${run}`, 'RAISED', t0 + 30_000, 'temperature above 90'),
    ]);
    await waitUntil(
      'the first alerts are stored',
      async () => (await alertStates(assetId)).length === 2,
    );
    await telemetry.produce('alerts', [
      event(`late-raise-${run}`, 'RAISED', t0, 'temperature above 90'),
      event(`open-${run}`, 'RAISED', t0 + 30_000, 'temperature above 90'),
    ]);

    await waitUntil('the late raise is stored', async () => {
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM alert_events WHERE asset_id = $1',
        [assetId],
      );
      return rows[0].n === 3;
    });
    expect(await alertStates(assetId)).toEqual([
      {
        alert_id: `late-raise-${run}`,
        state: 'RESOLVED',
        opened_at: new Date(t0),
        raised_at: new Date(t0),
        resolved_at: new Date(t0 + 60_000),
        message: 'back to normal',
      },
      {
        alert_id: `open-${run}`,
        state: 'RAISED',
        opened_at: new Date(t0 + 30_000),
        raised_at: new Date(t0 + 30_000),
        resolved_at: null,
        message: 'temperature above 90',
      },
    ]);
  });

  it('sends what it cannot store to the dead-letter topic with the reason, and stores the rest', async () => {
    const assetId = `poison-${run}`;
    const now = Date.now();
    const dlq = await deadLetterConsumer(config, `${config.sinkGroupId}-dlq`, telemetry);
    const encode = await telemetry.serde.encoder<ReadingRecord>('readings');
    const reading = (overrides: Partial<ReadingRecord>): ReadingRecord => ({
      assetId,
      ts: now - 1000,
      metrics: { temp: 1 },
      tags: {},
      receivedAt: null,
      ...overrides,
    });
    const sent = [
      { key: assetId, value: Buffer.from('not avro at all') },
      { key: assetId, value: encode(reading({ assetId: `nul\u0000${run}` })) },
      { key: assetId, value: encode(reading({ ts: now - 2000, metrics: { temp: Number.NaN } })) },
      { key: assetId, value: encode(reading({ ts: now + 30 * 24 * 3600 * 1000 })) },
      { key: assetId, value: encode(reading({ ts: now - 3000, metrics: { refused: 1 } })) },
      { key: assetId, value: encode(reading({ ts: now - 400 * 24 * 3600 * 1000 })) },
      { key: assetId, value: encode(reading({ ts: now - 4000, metrics: { temp: 42 } })) },
    ];
    await telemetry.send('readings', sent);

    const letters = await dlq.take(5);
    const byCode = letters.map((l) => l.headers[deadLetterHeaders.code]).sort();
    expect(byCode).toEqual([
      'SMP_DECODE_FAILED',
      'SMP_RECORD_INVALID',
      'SMP_RECORD_INVALID',
      'SMP_RECORD_INVALID',
      'SMP_ROW_REJECTED',
    ]);
    const messages = letters.map((l) => l.headers[deadLetterHeaders.message]).join('\n');
    expect(messages).toMatch(/NUL/);
    expect(messages).toMatch(/metrics\.temp is NaN/);
    expect(messages).toMatch(/ahead of the clock/);
    expect(messages).toMatch(/metric refused by a test rule/);
    for (const letter of letters) {
      expect(letter.headers[deadLetterHeaders.sourceTopic]).toBe(topics.readings);
      expect(letter.headers[deadLetterHeaders.stage]).toBe('sink');
      expect(letter.value).toMatchObject({ stage: 'sink', sourceTopic: topics.readings });
    }
    const undecodable = letters.find(
      (l) => l.headers[deadLetterHeaders.code] === 'SMP_DECODE_FAILED',
    );
    expect(undecodable?.value.value).toEqual(Buffer.from('not avro at all'));
    await dlq.stop();

    // The good reading is stored; the one older than the retention is skipped.
    const stored = await pool.query(
      'SELECT metric, value FROM readings WHERE asset_id = $1 ORDER BY ts',
      [assetId],
    );
    expect(stored.rows).toEqual([{ metric: 'temp', value: 42 }]);
    const expired = await registry.getSingleMetric('smp_sink_records_total')?.get();
    expect(expired?.values.find((v) => v.labels.outcome === 'expired')?.value).toBe(1);
  });

  it('is ready once its groups are joined and nothing is failing', async () => {
    for (const check of sink.readiness) await expect(check.check()).resolves.toBeUndefined();
  });

  async function countMeta(assets: string[]): Promise<number> {
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n FROM reading_meta WHERE asset_id = ANY($1)',
      [assets],
    );
    return rows[0].n;
  }

  async function alertStates(assetId: string) {
    const { rows } = await pool.query(
      `SELECT alert_id, state, opened_at, raised_at, resolved_at, message
         FROM alerts WHERE asset_id = $1 ORDER BY alert_id`,
      [assetId],
    );
    return rows;
  }
});

interface Letter {
  headers: Record<string, string>;
  value: Record<string, unknown> & { value: Buffer | null };
}

async function deadLetterConsumer(config: Config, groupId: string, telemetry: TestTelemetry) {
  await telemetry.startAtEnd(groupId, ['dlq']);
  const kafka = createKafka(config, { stage: 'test-dlq', logger });
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const letters: Letter[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: topics.dlq });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      letters.push({ headers, value: await telemetry.serde.decode('dlq', message.value) });
    },
  });
  return {
    take: async (n: number) => {
      await waitUntil(`${n} dead letters arrived`, async () => letters.length >= n);
      return letters;
    },
    stop: () => consumer.disconnect(),
  };
}
