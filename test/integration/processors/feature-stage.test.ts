import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../../lib/config';
import { deadLetterHeaders } from '../../../lib/kafka/dead-letter';
import { createLogger } from '../../../lib/log';
import { createRegistry } from '../../../lib/metrics';
import { frame } from '../../../lib/serde/avro-serde';
import { catalogEntry } from '../../../schemas';
import {
  changelogTopicName,
  startFeatureStage,
  type FeatureStage,
  type Reading,
} from '../../../processors/features';
import { KafkaIo, type FeatureVectorRecord } from '../../support/kafka-io';
import { testPipeline } from '../../support/pipeline-definitions';

const config = { ...loadConfig(), featuresIdleSweepMs: 200 };
const run = randomUUID().slice(0, 8);
const topics = {
  input: `test.features-stage.${run}.readings`,
  features: `test.features-stage.${run}.features`,
  late: `test.features-stage.${run}.late`,
  dlq: `test.features-stage.${run}.dlq`,
};
const groupId = `test-features-${run}`;
const S = 1000;
const t0 = Date.UTC(2026, 0, 1);

const pipeline = testPipeline({
  name: 'pumps',
  ids: [`pump-${run}-*`],
  window: { type: 'tumbling', sizeMs: 10 * S, graceMs: 2 * S, idleTimeoutMs: 3 * S },
  features: { temp: ['count', 'mean', 'max'], vib: ['rms'] },
});

const reading = (asset: string, seconds: number, metrics: Record<string, number>): Reading => ({
  assetId: `pump-${run}-${asset}`,
  ts: t0 + seconds * S,
  metrics,
  tags: {},
});

describe('the feature stage on the real stack', () => {
  const io = new KafkaIo(config);
  const registry = createRegistry();
  let stage: FeatureStage;

  beforeAll(async () => {
    await io.createTopics(Object.values(topics));
    stage = await startFeatureStage(config, {
      logger: createLogger({ level: 'warn', name: 'test-features' }),
      registry,
      pipelines: [pipeline],
      groupId,
      topics,
    });
  });

  afterAll(async () => {
    await stage?.stop();
    io.deleteOnClose(changelogTopicName(groupId));
    await io.close();
  });

  it('turns an asset’s readings into the expected feature vectors, the last one on idle', async () => {
    await io.produceReadings(
      [
        reading('a', 1, { temp: 1, vib: 3 }),
        reading('a', 3, { temp: 2, vib: 4 }),
        reading('a', 8, { temp: 3 }),
        reading('a', 11.5, { temp: 10, vib: 0 }),
        reading('a', 9, { temp: 4 }), // out of order, within grace
        reading('a', 13, { temp: 20 }),
      ],
      topics.input,
    );
    const vectors = await io.collect<FeatureVectorRecord>('features', {
      topic: topics.features,
      keep: (key) => key === `pump-${run}-a`,
      enough: (records) => records.length >= 2,
    });

    expect(vectors.map((v) => v.value)).toEqual([
      expect.objectContaining({
        assetId: `pump-${run}-a`,
        pipeline: 'pumps',
        windowStart: t0,
        windowEnd: t0 + 10 * S,
        recordCount: 4,
        features: { temp_count: 4, temp_mean: 2.5, temp_max: 4, vib_rms: Math.sqrt(12.5) },
        missingMetrics: [],
        closeReason: 'WATERMARK',
      }),
      // No reading moved the clock to 22 s: the window closes on idle.
      expect.objectContaining({
        windowStart: t0 + 10 * S,
        windowEnd: t0 + 20 * S,
        recordCount: 2,
        features: { temp_count: 2, temp_mean: 15, temp_max: 20, vib_rms: 0 },
        closeReason: 'IDLE',
      }),
    ]);
  });

  it('sends a reading later than the grace period to the late topic', async () => {
    await io.produceReadings(
      [reading('b', 1, { temp: 1 }), reading('b', 15, { temp: 2 }), reading('b', 4, { temp: 99 })],
      topics.input,
    );
    const late = await io.collect<Record<string, unknown>>('late', {
      topic: topics.late,
      keep: (key) => key === `pump-${run}-b`,
      enough: (records) => records.length >= 1,
    });
    expect(late).toHaveLength(1);
    expect(late[0]!.value).toMatchObject({
      reading: { assetId: `pump-${run}-b`, ts: t0 + 4 * S, metrics: { temp: 99 } },
      pipeline: 'pumps',
      reason: 'window closed',
      lateByMs: 15 * S - 2 * S - 4 * S,
      assetClock: t0 + 15 * S,
    });
  });

  it('dead-letters poison records with error headers and keeps going', async () => {
    const asset = `pump-${run}-c`;
    const readingType = catalogEntry('readings').type;
    const schemaId = await io.serde.schemaId('readings');
    const body = (r: Reading) => readingType.toBuffer({ receivedAt: null, ...r });
    await io.produceReadings([reading('c', 1, { temp: 5 })], topics.input);
    await io.produceRaw(topics.input, [
      { key: asset, value: Buffer.from('{"not":"avro"}'), headers: { 'x-correlation-id': 'c-1' } },
      { key: asset, value: frame(987_654_321, Buffer.from([1, 2, 3])) },
      { key: asset, value: frame(schemaId, body(reading('c', 2, { temp: NaN }))) },
      { key: 'someone-else', value: frame(schemaId, body(reading('c', 3, { temp: 1 }))) },
      { key: asset, value: null },
    ]);
    await io.produceReadings(
      [reading('c', 5, { temp: 7 }), reading('c', 20, { temp: 0 })],
      topics.input,
    );

    const letters = await io.collect<Record<string, unknown>>('dlq', {
      topic: topics.dlq,
      keep: () => true,
      enough: (records) => records.length >= 5,
    });
    // The record keyed by another asset sits on another partition, so the
    // order across the dead letters is not fixed.
    const byMessage = (part: string) =>
      letters.filter((l) => String(l.value.errorMessage).includes(part));
    expect(letters.map((l) => l.headers[deadLetterHeaders.code]).sort()).toEqual([
      'SMP_DECODE_FAILED',
      'SMP_DECODE_FAILED',
      'SMP_DECODE_FAILED',
      'SMP_READING_INVALID',
      'SMP_READING_INVALID',
    ]);
    const [garbage] = byMessage('Confluent magic byte');
    expect(garbage!.headers).toMatchObject({
      [deadLetterHeaders.code]: 'SMP_DECODE_FAILED',
      [deadLetterHeaders.sourceTopic]: topics.input,
      [deadLetterHeaders.stage]: 'features',
      'x-correlation-id': 'c-1',
    });
    expect(garbage!.headers[deadLetterHeaders.sourceOffset]).toMatch(/^\d+$/);
    expect(garbage!.value).toMatchObject({
      stage: 'features',
      sourceTopic: topics.input,
      errorCode: 'SMP_DECODE_FAILED',
      value: Buffer.from('{"not":"avro"}'),
    });
    expect(byMessage('schema id 987654321 is unknown')).toHaveLength(1);
    expect(byMessage('metric temp is NaN')).toHaveLength(1);
    expect(byMessage('is not the asset id')).toHaveLength(1);
    expect(byMessage('shorter than the 5-byte wire header')).toHaveLength(1);

    const vectors = await io.collect<FeatureVectorRecord>('features', {
      topic: topics.features,
      keep: (key) => key === asset,
      enough: (records) => records.length >= 1,
    });
    expect(vectors[0]!.value).toMatchObject({ recordCount: 2, features: { temp_mean: 6 } });
  });

  it('commits offsets once its outputs are written, and reports its work in metrics', async () => {
    const admin = io.kafka.admin();
    await admin.connect();
    const deadline = Date.now() + 15_000;
    let committed = 0;
    let produced = 0;
    while (Date.now() < deadline) {
      const ends = await admin.fetchTopicOffsets(topics.input);
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topics.input] });
      produced = ends.reduce((n, o) => n + Number(o.high), 0);
      committed = offsets!.partitions.reduce((n, o) => n + Math.max(0, Number(o.offset)), 0);
      if (committed === produced) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await admin.disconnect();
    expect(committed).toBe(produced);

    const text = await registry.metrics();
    expect(text).toMatch(
      /smp_features_vectors_out_total\{pipeline="pumps",reason="WATERMARK"\} [1-9]/,
    );
    expect(text).toMatch(/smp_features_late_total\{pipeline="pumps"\} 1/);
    expect(text).toMatch(/smp_features_dead_letters_total\{code="SMP_DECODE_FAILED"\} 3/);
    expect(text).toMatch(/smp_features_tracked_assets\{pipeline="pumps"\} 3/);
  });
});
