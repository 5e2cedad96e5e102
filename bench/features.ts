import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import type { Config } from '../lib/config';
import { createKafka, safeProducerConfig } from '../lib/kafka/client';
import { createLogger } from '../lib/log';
import { createRegistry } from '../lib/metrics';
import { AvroSerde } from '../lib/serde/avro-serde';
import { loadPipelineFile } from '../pipelines';
import { changelogTopicName, startFeatureStage, type Reading } from '../processors/features';
import type { Benchmark, BenchResult } from './index';

/**
 * The feature stage against a bare kafkajs eachBatch loop that only decodes,
 * over the same preloaded topic: readings of 10 metrics, a pipeline of
 * 10 metrics x 6 features in one-minute tumbling windows. Then the heap
 * that window state takes per 10,000 assets, in a child with --expose-gc.
 *
 * Options after `--`: --readings N (400000), --assets N (2000).
 */
const METRICS = Array.from({ length: 10 }, (_, i) => `m${i}`);

const PIPELINE = `name: bench
assets: { ids: ['bench-*'] }
window: { type: tumbling, size: 1m, grace: 5s, idleTimeout: 10m }
features:
  - metrics: [${METRICS.join(', ')}]
    compute: [mean, std, min, max, slope, last]
`;

export const featuresBenchmark: Benchmark = {
  description: 'feature stage readings/s vs a consume+decode loop; memory per 10,000 assets',
  async run(config, args) {
    const readings = option(args, '--readings', 400_000);
    const assets = option(args, '--assets', 2000);
    const logger = createLogger({ level: 'error', name: 'bench-features' });
    const kafka = createKafka(config, { stage: 'bench', logger });
    const serde = new AvroSerde({ registryUrl: config.schemaRegistryUrl, autoRegister: true });
    const run = randomUUID().slice(0, 8);
    const topics = {
      input: `bench.features.${run}.readings`,
      features: `bench.features.${run}.features`,
      late: `bench.features.${run}.late`,
      dlq: `bench.features.${run}.dlq`,
    };
    const groupId = `bench-features-${run}`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smp-bench-'));
    const file = path.join(dir, 'bench.yaml');
    writeFileSync(file, PIPELINE);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: Object.values(topics).map((topic) => ({
          topic,
          numPartitions: config.topicPartitions,
          replicationFactor: config.topicReplicationFactor,
        })),
      });
      await preload(kafka, serde, topics.input, readings, assets);

      const baseline = await consumeAndDecode(kafka, serde, topics.input, readings);
      const stage = await runStage(config, file, groupId, topics, readings);
      const small = await memory(file, 10_000, 1);
      const full = await memory(file, 10_000, 30);
      return report({ readings, assets, baseline, stage, small, full });
    } finally {
      await admin
        .deleteTopics({ topics: [...Object.values(topics), changelogTopicName(groupId)] })
        .catch(() => undefined);
      await admin.disconnect();
    }
  },
};

async function preload(
  kafka: Kafka,
  serde: AvroSerde,
  topic: string,
  count: number,
  assets: number,
): Promise<void> {
  const encode = await serde.encoder<Reading & { receivedAt: null }>('readings');
  const producer = kafka.producer(safeProducerConfig());
  await producer.connect();
  const base = Date.UTC(2026, 0, 1);
  for (let start = 0; start < count; start += 5000) {
    const messages = [];
    for (let i = start; i < Math.min(count, start + 5000); i++) {
      const assetId = `bench-${i % assets}`;
      const metrics: Record<string, number> = {};
      METRICS.forEach((m, k) => (metrics[m] = Math.sin(i / 97 + k) * 50 + k));
      const ts = base + Math.floor(i / assets) * 1000;
      messages.push({
        key: assetId,
        value: encode({ assetId, ts, metrics, tags: {}, receivedAt: null }),
      });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

/** The baseline: what kafkajs and the Avro decoder alone manage on this machine. */
async function consumeAndDecode(
  kafka: Kafka,
  serde: AvroSerde,
  topic: string,
  count: number,
): Promise<{ seconds: number }> {
  const consumer = kafka.consumer({
    groupId: `bench-baseline-${randomUUID()}`,
    maxWaitTimeInMs: 500,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first = 0;
  let finish: (seconds: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset }) => {
      if (first === 0) first = performance.now();
      for (const message of batch.messages) {
        await serde.decode('readings', message.value);
        seen++;
      }
      resolveOffset(batch.lastOffset());
      if (seen >= count) finish((performance.now() - first) / 1000);
    },
  });
  const seconds = await done;
  await consumer.disconnect();
  return { seconds };
}

/** The stage, from its first processed reading until every offset is committed. */
async function runStage(
  config: Config,
  file: string,
  groupId: string,
  topics: { input: string; features: string; late: string; dlq: string },
  count: number,
): Promise<{ seconds: number; processedSeconds: number }> {
  const { definition } = loadPipelineFile(file, {});
  const logger = createLogger({ level: 'error', name: 'bench-features' });
  const stage = await startFeatureStage(config, {
    logger,
    registry: createRegistry(),
    pipelines: [definition!],
    groupId,
    topics,
  });
  const admin = createKafka(config, { stage: 'bench', logger }).admin();
  await admin.connect();
  try {
    while (stage.processed() === 0) await sleep(2);
    const first = performance.now();
    while (stage.processed() < count) await sleep(2);
    const processedSeconds = (performance.now() - first) / 1000;
    for (;;) {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topics.input] });
      const committed = offsets!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
      if (committed >= count) break;
      await sleep(2);
    }
    return { seconds: (performance.now() - first) / 1000, processedSeconds };
  } finally {
    await admin.disconnect();
    await stage.stop();
  }
}

interface MemoryFigure {
  assets: number;
  perAsset: number;
  bytes: number;
  openWindows: number;
}

async function memory(file: string, assets: number, perAsset: number): Promise<MemoryFigure> {
  const script = path.join(__dirname, 'features-memory.js');
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--expose-gc',
    script,
    file,
    String(assets),
    String(perAsset),
  ]);
  return JSON.parse(stdout) as MemoryFigure;
}

function report(r: {
  readings: number;
  assets: number;
  baseline: { seconds: number };
  stage: { seconds: number; processedSeconds: number };
  small: MemoryFigure;
  full: MemoryFigure;
}): BenchResult {
  const baselineRate = r.readings / r.baseline.seconds;
  const stageRate = r.readings / r.stage.seconds;
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  return {
    name: 'features',
    lines: [
      `readings: ${r.readings} of 10 metrics over ${r.assets} assets; pipeline 10 metrics x 6 features, 1 min tumbling`,
      `consume+decode loop:  ${fmt(baselineRate)} readings/s (${r.baseline.seconds.toFixed(2)} s)`,
      `feature stage:        ${fmt(stageRate)} readings/s (${r.stage.seconds.toFixed(2)} s to the last commit, ` +
        `${r.stage.processedSeconds.toFixed(2)} s to the last reading)`,
      `ratio:                ${((100 * stageRate) / baselineRate).toFixed(0)}% of the baseline (goal >= 50%)`,
      `memory per 10,000 assets: ${mib(r.small.bytes)} MiB with one reading each, ` +
        `${mib(r.full.bytes)} MiB with 30 readings each in their open window`,
    ],
    data: {
      readings: r.readings,
      assets: r.assets,
      baselineReadingsPerSecond: baselineRate,
      stageReadingsPerSecond: stageRate,
      ratio: stageRate / baselineRate,
      memoryBytesPer10kAssetsOneReading: r.small.bytes,
      memoryBytesPer10kAssetsThirtyReadings: r.full.bytes,
    },
  };
}

function option(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} needs a positive integer`);
  return value;
}

function fmt(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
