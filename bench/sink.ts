import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../lib/config';
import { prepareDatabase, withSession } from '../lib/db';
import { createKafka, safeProducerConfig } from '../lib/kafka/client';
import { createLogger } from '../lib/log';
import { createRegistry, type Registry } from '../lib/metrics';
import { AvroSerde } from '../lib/serde/avro-serde';
import { startSink } from '../processors/sink';
import type { CopyMode } from '../processors/sink/copy-into';
import type { ReadingRecord } from '../processors/sink/records';
import type { Benchmark, BenchResult } from './index';

/**
 * Rows per second into PostgreSQL through `smp sink` (Kafka, Avro decode,
 * checks, binary COPY, offset commits), against `psql \copy` of the same
 * rows as CSV into tables of the same layout, in the same run. Each run
 * gets fresh tables in a schema of its own and the topic is preloaded, so
 * the sink measures draining a backlog, which is when its speed matters.
 *
 * The machine is shared and noisy, so the three runs alternate for
 * `--rounds` rounds and the medians are compared.
 *
 *   npm run bench -- sink [--readings N] [--metrics M] [--rounds R]
 */
export const sinkBenchmark: Benchmark = {
  description: 'readings/s into PostgreSQL through the sink vs psql \\copy of the same rows',
  async run(config, args) {
    const readingCount = numberArg(args, '--readings', 100_000);
    const metricCount = numberArg(args, '--metrics', 8);
    const rounds = numberArg(args, '--rounds', 3);
    const id = randomBytes(4).toString('hex');
    const readings = makeReadings(readingCount, metricCount);
    const rows = readingCount * (metricCount + 1);
    const topic = `bench.sink.readings.${id}`;
    const logger = createLogger({ level: 'warn', name: 'bench-sink' });
    const admin = createKafka(config, { stage: 'bench', logger }).admin();
    await admin.connect();
    const schemas: string[] = [];
    let made = 0;
    const freshSchema = async () => {
      const name = `smp_bench_${id}_${made++}`;
      schemas.push(name);
      return createSchema(config, name);
    };
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: config.topicPartitions, replicationFactor: 1 }],
      });
      await preload(config, topic, readings);

      const timings: Timings = { psql: [], direct: [], merge: [], transactions: [] };
      const drain = async (mode: CopyMode) =>
        drainWithSink(config, await freshSchema(), topic, readingCount, mode);
      for (let round = 0; round < rounds; round++) {
        timings.psql.push(await psqlCopy(config, await freshSchema(), readings));
        const direct = await drain('direct-first');
        timings.direct.push(direct.seconds);
        timings.transactions.push(direct);
        timings.merge.push((await drain('merge')).seconds);
        for (const name of schemas.splice(0)) await dropSchema(config, name);
      }
      return result(readingCount, metricCount, rows, timings);
    } finally {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      const groups = Array.from(
        { length: made },
        (_, i) => `${groupOf(`smp_bench_${id}_${i}`)}.readings`,
      );
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.disconnect();
      for (const name of schemas) await dropSchema(config, name);
    }
  },
};

/** Seconds per round. */
interface Timings {
  readonly psql: number[];
  readonly direct: number[];
  readonly merge: number[];
  readonly transactions: Drained[];
}

function result(readings: number, metrics: number, rows: number, t: Timings): BenchResult {
  const psql = median(t.psql);
  const direct = median(t.direct);
  const merge = median(t.merge);
  const line = (label: string, runs: number[]) => {
    const seconds = median(runs);
    const perSecond = (n: number) => Math.round(n / seconds).toLocaleString('en');
    return (
      `${label.padEnd(34)} ${seconds.toFixed(2).padStart(6)} s  ${perSecond(rows).padStart(9)} rows/s` +
      `  ${perSecond(readings).padStart(7)} readings/s  (runs: ${runs.map((r) => r.toFixed(2)).join(', ')} s)`
    );
  };
  const percent = (seconds: number) => `${Math.round((psql / seconds) * 100)}%`;
  return {
    name: 'sink',
    lines: [
      `${readings.toLocaleString('en')} readings x ${metrics} metrics = ` +
        `${rows.toLocaleString('en')} rows (readings + reading_meta), medians of ${t.psql.length} rounds`,
      line('psql \\copy (CSV)', t.psql),
      line('sink, binary COPY (default)', t.direct),
      line('sink, staging table + ON CONFLICT', t.merge),
      `ratio sink / psql \\copy: ${percent(direct)} (staging path: ${percent(merge)}; goal >= 70%)`,
      where(t.transactions),
    ],
    data: {
      readings,
      metrics,
      rows,
      psqlSeconds: t.psql,
      sinkSeconds: t.direct,
      sinkMergeSeconds: t.merge,
      psqlRowsPerSecond: rows / psql,
      sinkRowsPerSecond: rows / direct,
      sinkMergeRowsPerSecond: rows / merge,
      ratio: psql / direct,
      mergeRatio: psql / merge,
    },
  };
}

/** Where the sink's time went, from its own metrics: inside transactions or waiting for Kafka. */
function where(runs: readonly Drained[]): string {
  const run = runs[Math.floor(runs.length / 2)]!;
  const busy = run.storeSeconds / run.concurrency / run.seconds;
  return (
    `sink time: ${run.transactions} transactions of ${Math.round(run.records / run.transactions)} ` +
    `records on average; its ${run.concurrency} writers spent ${Math.round(busy * 100)}% of the ` +
    'run decoding, encoding and in COPY and commit, the rest waiting for fetches'
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function makeReadings(count: number, metrics: number): ReadingRecord[] {
  const start = Date.now() - 2 * 60 * 60 * 1000;
  const names = Array.from({ length: metrics }, (_, i) => `sensor_${i + 1}`);
  return Array.from({ length: count }, (_, n) => ({
    assetId: `bench-asset-${n % 100}`,
    ts: start + Math.floor(n / 100) * 10,
    metrics: Object.fromEntries(names.map((m, i) => [m, Math.sin(n / 50 + i) * 100 + i])),
    tags: { site: `site-${n % 7}` },
    receivedAt: start + Math.floor(n / 100) * 10 + 3,
  }));
}

async function preload(config: Config, topic: string, readings: readonly ReadingRecord[]) {
  const logger = createLogger({ level: 'warn', name: 'bench-sink' });
  const producer = createKafka(config, { stage: 'bench', logger }).producer(safeProducerConfig());
  const serde = new AvroSerde({ registryUrl: config.schemaRegistryUrl, autoRegister: true });
  const encode = await serde.encoder<ReadingRecord>('readings');
  await producer.connect();
  try {
    for (let i = 0; i < readings.length; i += 5000) {
      const messages = readings
        .slice(i, i + 5000)
        .map((r) => ({ key: r.assetId, value: encode(r) }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

interface Drained {
  /** From the sink's group joining to every reading being committed. */
  readonly seconds: number;
  readonly transactions: number;
  readonly records: number;
  /** Time inside BatchWriter.store, summed over the concurrent writers. */
  readonly storeSeconds: number;
  readonly concurrency: number;
}

async function drainWithSink(
  config: Config,
  schema: string,
  topic: string,
  expected: number,
  copyMode: CopyMode,
): Promise<Drained> {
  const pool = schemaPool(config, schema, config.sinkConcurrency + 2);
  const registry = createRegistry();
  const sink = await startSink(
    { ...config, sinkTopics: ['readings'], sinkGroupId: groupOf(schema) },
    {
      logger: createLogger({
        level: process.env.LOG_LEVEL ? config.logLevel : 'warn',
        name: 'bench-sink',
      }),
      registry,
      pool,
      topicNames: { readings: topic },
      copyMode,
    },
  );
  try {
    const joined = sink.readiness.find((c) => c.name === 'consumer-groups')!;
    await until(() =>
      joined.check().then(
        () => true,
        () => false,
      ),
    );
    const started = process.hrtime.bigint();
    await until(async () => (await written(registry)) >= expected);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const batches = await registry.getSingleMetric('smp_sink_batch_duration_seconds')?.get();
    const value = (name: string) =>
      batches?.values.find((v) => (v as { metricName?: string }).metricName === name)?.value ?? 0;
    return {
      seconds,
      transactions: value('smp_sink_batch_duration_seconds_count'),
      records: expected,
      storeSeconds: value('smp_sink_batch_duration_seconds_sum'),
      concurrency: config.sinkConcurrency,
    };
  } finally {
    await sink.stop();
    await pool.end();
  }
}

async function written(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('smp_sink_records_total')?.get();
  return metric?.values.find((v) => v.labels.outcome === 'written')?.value ?? 0;
}

/** Seconds psql takes to \copy the same rows, as CSV files, into the same tables. */
async function psqlCopy(config: Config, schema: string, readings: readonly ReadingRecord[]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smp-bench-'));
  try {
    const values: string[] = [];
    const meta: string[] = [];
    for (const r of readings) {
      const ts = new Date(r.ts).toISOString();
      for (const [metric, value] of Object.entries(r.metrics)) {
        values.push(`${r.assetId},${ts},${metric},${value}`);
      }
      const tags = `"${JSON.stringify(r.tags).replace(/"/g, '""')}"`;
      meta.push(`${r.assetId},${ts},${tags},${new Date(r.receivedAt!).toISOString()}`);
    }
    writeFileSync(path.join(dir, 'readings.csv'), `${values.join('\n')}\n`);
    writeFileSync(path.join(dir, 'meta.csv'), `${meta.join('\n')}\n`);

    const started = process.hrtime.bigint();
    await run('psql', [
      schemaUrl(config, schema),
      '-X',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy readings (asset_id, ts, metric, value) FROM '${dir}/readings.csv' WITH (FORMAT csv)`,
      '-c',
      `\\copy reading_meta (asset_id, ts, tags, received_at) FROM '${dir}/meta.csv' WITH (FORMAT csv)`,
    ]);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function createSchema(config: Config, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: config.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  await admin.end();
  const pool = schemaPool(config, name, 1);
  try {
    await withSession(pool, (session) => prepareDatabase(session, config));
  } finally {
    await pool.end();
  }
  return name;
}

async function dropSchema(config: Config, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: config.databaseUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`).catch(() => undefined);
  await admin.end();
}

/** The consumer group prefix of the sink writing into `schema`; the group is `<prefix>.readings`. */
function groupOf(schema: string): string {
  return `smp-bench-${schema}`;
}

function schemaUrl(config: Config, schema: string): string {
  const url = new URL(config.databaseUrl);
  // %20, not +: libpq (psql) does not read + as a space.
  url.search = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return url.toString();
}

function schemaPool(config: Config, schema: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString: schemaUrl(config, schema), max });
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

async function until(probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10 * 60 * 1000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('the sink did not finish within 10 minutes');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function numberArg(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} takes a positive whole number`);
  return value;
}
