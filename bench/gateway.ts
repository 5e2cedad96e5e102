import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { startIngestGateway } from '../gateway';
import { ApiKeyStore } from '../gateway/auth';
import { encodeReadings, type EncodedBatch } from '../gateway/ingest/encode-readings';
import { limitsFrom } from '../gateway/ingest/limits';
import { validateReadings } from '../gateway/ingest/validate-readings';
import { KafkaService, stackLayout } from '../infra/stack';
import type { Config } from '../lib/config';
import { createPool } from '../lib/db';
import { createLogger } from '../lib/log';
import { createRegistry } from '../lib/metrics';
import { fromRoot } from '../lib/package-root';
import { Fleet, batchesOf, type LoadReport, type SimulatedReading } from '../lib/simulator';
import { catalogEntry } from '../schemas';
import { BenchTopics } from './bench-topics';
import { profileCpu } from './cpu-profile';
import type { Benchmark, BenchResult } from './index';
import { runJavaProducerPerf } from './java-producer-perf';
import { runKafkajsProducer } from './kafkajs-producer';
import type { LoadJob } from './load-worker';

interface Options {
  readonly readings: number;
  readonly sizes: readonly number[];
  readonly assets: number;
  readonly concurrency: number | undefined;
  readonly profile: boolean;
}

// Enough requests in flight for the gateway to coalesce small batches,
// few enough that latency still means something.
const CONCURRENCY_BY_SIZE: Record<number, number> = { 1: 64, 100: 16, 1000: 8 };
const MAX_READINGS_AT_BATCH_1 = 30_000;

/**
 * Readings per second through the whole gateway (HTTP, validation, Avro,
 * acks=all) into a topic shaped like the readings topic, at several batch
 * sizes, against Kafka's own Java producer writing as many records of the
 * same size in the same run.
 */
export const gatewayBenchmark: Benchmark = {
  description:
    'readings/s through the gateway into Kafka (acks=all) at batch sizes 1, 100 and 1000, ' +
    "against Kafka's Java producer (kafka-producer-perf-test); args: --readings N " +
    '--sizes 1,100,1000 --assets N --concurrency N --profile',
  async run(config, args): Promise<BenchResult> {
    const options = parseOptions(args);
    const bench = await BenchTopics.create(config);
    const pool = createPool(config, { applicationName: 'smp-bench', max: 1 });
    const keyStore = new ApiKeyStore(pool);
    const { id: keyId, key } = await keyStore.create('bench-gateway', ['data:ingest']);
    try {
      const readings = generate(options);
      const records = encodedBatches(config, readings, 1_000);
      const recordSize = averageValueSize(records);
      const lines = [
        `data: ${readings.length} readings of ${options.assets} assets (simulator, seed "bench"), ` +
          `average Avro record ${recordSize} bytes`,
      ];

      const javaRun = () =>
        runJavaProducerPerf({
          libsDir: kafkaLibs(config),
          bootstrap: config.kafkaBrokers.join(','),
          topic: bench.java,
          records: readings.length,
          recordSize,
        });
      const javaBefore = await javaRun();
      const client = await runKafkajsProducer(config, bench.gateway, records);
      const runs = await measureGateway(config, bench.gateway, key, readings, options);
      const javaAfter = await javaRun();
      // The machine is shared: the Java producer runs before and after the
      // gateway, and the ratio uses the mean of the two.
      const java = (javaBefore.recordsPerSecond + javaAfter.recordsPerSecond) / 2;

      lines.push(
        `java producer (acks=all, idempotent): ${rate(java)} records/s ` +
          `(${rate(javaBefore.recordsPerSecond)} before, ${rate(javaAfter.recordsPerSecond)} after; ` +
          `p50 ${javaBefore.p50Ms} ms, p99 ${javaBefore.p99Ms} ms)`,
        `kafkajs alone (same records and headers, 1000 per send, acks=all, idempotent): ` +
          `${rate(client.recordsPerSecond)} records/s, ratio to java ${(client.recordsPerSecond / java).toFixed(2)}`,
      );
      for (const run of runs) lines.push(...describeRun(run, java));
      const largest = runs[runs.length - 1];
      if (largest) {
        const ratio = largest.report.achievedRate / java;
        lines.push(
          `goal: gateway at batch ${largest.size} >= 0.5 x java producer: ratio ${ratio.toFixed(3)} ` +
            `(${ratio >= 0.5 ? 'met' : 'not met'})`,
        );
      }
      return {
        name: 'gateway',
        lines,
        data: {
          options,
          recordSize,
          java: { javaBefore, javaAfter, mean: java },
          kafkajs: client,
          gateway: runs,
        },
      };
    } finally {
      await keyStore.revoke(keyId);
      await pool.end();
      await bench.remove();
    }
  },
};

interface GatewayRun {
  readonly size: number;
  readonly concurrency: number;
  readonly report: LoadReport;
  readonly profile?: readonly string[];
}

async function measureGateway(
  config: Config,
  topic: string,
  apiKey: string,
  readings: readonly SimulatedReading[],
  options: Options,
): Promise<GatewayRun[]> {
  // Access log lines are written as in production, to /dev/null.
  const logger = createLogger({
    level: 'info',
    name: 'smp-gateway',
    destination: pino.destination({ dest: '/dev/null', sync: false }),
  });
  const gateway = await startIngestGateway(
    { ...config, gatewayPort: 0, gatewayKeyRatePerSecond: 0, gatewayGlobalRatePerSecond: 0 },
    { logger, registry: createRegistry(), topic },
  );
  const url = `http://127.0.0.1:${gateway.port}`;
  const runs: GatewayRun[] = [];
  try {
    for (const size of options.sizes) {
      const count =
        size === 1 ? Math.min(readings.length, MAX_READINGS_AT_BATCH_1) : readings.length;
      const bodies = prepare(readings.slice(0, count), size);
      const concurrency = options.concurrency ?? CONCURRENCY_BY_SIZE[size] ?? 8;
      const job = { url, apiKey, concurrency };
      const warmUp = await startLoad({
        ...job,
        bodies: bodies.slice(0, Math.ceil(bodies.length / 20)),
      });
      await warmUp.go();
      const load = await startLoad({ ...job, bodies });
      if (options.profile) {
        const file = fromRoot('bench', 'results', `gateway-batch-${size}.cpuprofile`);
        const { result, top } = await profileCpu(file, () => load.go());
        runs.push({ size, concurrency, report: result, profile: top });
      } else {
        runs.push({ size, concurrency, report: await load.go() });
      }
    }
  } finally {
    await gateway.close();
  }
  return runs;
}

/** A load generator thread, ready with its bodies; `go` starts it and waits for its report. */
async function startLoad(job: LoadJob): Promise<{ go(): Promise<LoadReport> }> {
  const worker = new Worker(path.join(__dirname, 'load-worker.js'), { workerData: job });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    go: () =>
      new Promise<LoadReport>((resolve, reject) => {
        worker.once('message', (message: { report?: LoadReport; error?: string }) => {
          void worker.terminate();
          if (message.report) resolve(message.report);
          else reject(new Error(message.error));
        });
        worker.postMessage('go');
      }),
  };
}

function describeRun(run: GatewayRun, java: number): string[] {
  const { report } = run;
  const failed = Object.entries(report.failedByStatus);
  return [
    `gateway batch ${String(run.size).padStart(4)}: ${rate(report.achievedRate)} readings/s, ` +
      `p50 ${report.latency.p50Ms.toFixed(1)} ms, p99 ${report.latency.p99Ms.toFixed(1)} ms ` +
      `per request (${run.concurrency} in flight), ratio to java ` +
      `${(report.achievedRate / java).toFixed(2)}` +
      (failed.length > 0 ? `, FAILED: ${failed.map(([s, n]) => `${n} with ${s}`).join(', ')}` : ''),
    ...(run.profile
      ? ['  where the gateway thread spent its CPU:', ...run.profile.map((l) => `  ${l}`)]
      : []),
  ];
}

function generate(options: Options): SimulatedReading[] {
  const steps = Math.ceil(options.readings / options.assets);
  const intervalMs = 1_000;
  const fleet = new Fleet({
    assets: options.assets,
    seed: 'bench',
    start: Date.now() - (steps + 1) * intervalMs,
    intervalMs,
    failingShare: 0,
  });
  return [...batchesOf(fleet.readings(), options.readings, options.readings)][0] ?? [];
}

function prepare(readings: readonly SimulatedReading[], size: number) {
  return [...batchesOf(readings, size)].map((batch) => ({
    body: Buffer.from(JSON.stringify({ readings: batch })),
    count: batch.length,
  }));
}

/** The readings as the gateway puts them on Kafka, `size` records per batch. */
function encodedBatches(
  config: Config,
  readings: readonly SimulatedReading[],
  size: number,
): EncodedBatch[] {
  const now = Date.now();
  const type = catalogEntry('readings').type;
  return [...batchesOf(readings, size)].map((batch) => {
    const { readings: valid } = validateReadings(batch, limitsFrom(config), {
      now,
      receivedAt: now,
    });
    return encodeReadings(valid, randomUUID(), 1, type);
  });
}

function averageValueSize(batches: readonly EncodedBatch[]): number {
  let total = 0;
  let count = 0;
  for (const batch of batches) {
    for (const m of batch.messages) total += (m.value as Buffer).length;
    count += batch.messages.length;
  }
  return Math.round(total / Math.max(1, count));
}

function kafkaLibs(config: Config): string {
  const dir = stackLayout(config).dir('kafka');
  return new KafkaService({ bootstrap: config.kafkaBrokers[0]!, dir }).installLibs();
}

function parseOptions(args: readonly string[]): Options {
  const value = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const positive = (name: string, fallback: number) => {
    const raw = value(name);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--${name} must be a positive integer, not ${raw}`);
    return n;
  };
  const sizes = (value('sizes') ?? '1,100,1000').split(',').map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new Error('--sizes takes positive integers');
  const concurrency = value('concurrency');
  return {
    readings: positive('readings', 300_000),
    sizes,
    assets: positive('assets', 1_000),
    concurrency: concurrency === undefined ? undefined : positive('concurrency', 8),
    profile: args.includes('--profile'),
  };
}

function rate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}
