import type { Config } from '../../lib/config';
import {
  HOUR_MS,
  createPool,
  maintainStorage,
  prepareDatabase,
  storagePolicyFrom,
  withSession,
  type Pool,
  type PreparedDatabase,
} from '../../lib/db';
import { createKafka, safeProducerConfig } from '../../lib/kafka/client';
import { DeadLetterWriter } from '../../lib/kafka/dead-letter';
import { topics } from '../../lib/kafka/topics';
import type { Logger } from '../../lib/log';
import type { Registry } from '../../lib/metrics';
import type { ReadinessCheck } from '../../lib/readiness';
import { AvroSerde } from '../../lib/serde/avro-serde';
import { BatchWriter } from './batch-writer';
import type { CopyMode } from './copy-into';
import { OutageTracker } from './outage-tracker';
import { PartitionGuard } from './partition-guard';
import { Retrier } from './retrier';
import { sinkMetrics } from './sink-metrics';
import { sinkTables } from './tables';
import type { SinkRole } from './tables/sink-table';
import { TopicConsumer } from './topic-consumer';
import { waitForDatabase } from './wait-for-database';

export interface SinkOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  /** Topic names by role; the contract topics unless a benchmark says otherwise. */
  readonly topicNames?: Partial<Record<SinkRole, string>>;
  /** A pool of the caller's (a benchmark's schema); the sink makes its own otherwise. */
  readonly pool?: Pool;
  /** `merge` always writes through the staging table; for measurements. */
  readonly copyMode?: CopyMode;
}

export interface RunningSink {
  readonly database: PreparedDatabase;
  /** For /readyz: the database answers, every group is joined, no write is failing. */
  readonly readiness: readonly ReadinessCheck[];
  stop(): Promise<void>;
}

const MAINTENANCE_EVERY_MS = 15 * 60 * 1000;

/**
 * `smp sink`: stores the readings, features, predictions and alerts topics
 * in PostgreSQL or TimescaleDB. It migrates the database and applies the
 * storage policy first, then runs one consumer group per topic.
 */
export async function startSink(config: Config, options: SinkOptions): Promise<RunningSink> {
  const { logger, registry } = options;
  const roles = config.sinkTopics;
  const pool =
    options.pool ??
    createPool(config, {
      applicationName: 'smp-sink',
      max: Math.max(config.databasePoolSize, roles.length * config.sinkConcurrency + 2),
    });
  const abort = new AbortController();
  const outage = new OutageTracker(logger);

  const database = await waitForDatabase(logger, abort.signal, () =>
    withSession(pool, (session) => prepareDatabase(session, config)),
  );
  reportStorage(logger, database);

  const kafka = createKafka(config, { stage: 'sink', logger, retries: 10 });
  const producer = kafka.producer(safeProducerConfig());
  await producer.connect();
  const serde = new AvroSerde({
    registryUrl: config.schemaRegistryUrl,
    autoRegister: config.schemaAutoRegister,
  });
  const metrics = sinkMetrics(registry);
  const policy = storagePolicyFrom(config);
  const guard = new PartitionGuard(
    pool,
    database.migration.storage,
    config.storageChunkHours * HOUR_MS,
    logger,
  );
  const shared = {
    pool,
    serde,
    guard,
    metrics,
    policy,
    deadLetters: new DeadLetterWriter({ producer, serde, stage: 'sink', registry }),
    retrier: new Retrier({
      maxDelayMs: config.sinkRetryMaxMs,
      outage,
      metrics,
      signal: abort.signal,
    }),
    maxFutureMs: config.sinkMaxFutureHours > 0 ? config.sinkMaxFutureHours * HOUR_MS : undefined,
    copyMode: options.copyMode ?? 'direct-first',
  };

  const consumers = roles.map((role) => {
    const topic = options.topicNames?.[role] ?? topics[role];
    return new TopicConsumer(kafka, {
      topic,
      groupId: `${config.sinkGroupId}.${role}`,
      writer: new BatchWriter({ ...shared, table: sinkTables[role] }) as BatchWriter<unknown>,
      limits: {
        maxRecords: config.sinkBatchMaxRecords,
        maxBytes: config.sinkBatchMaxBytes,
        maxWaitMs: config.sinkBatchMaxWaitMs,
        concurrency: config.sinkConcurrency,
      },
      timing: { sessionTimeoutMs: config.kafkaSessionTimeoutMs },
      metrics,
      logger,
    });
  });
  await Promise.all(consumers.map((c) => c.start()));
  logger.info({ topics: roles, groupPrefix: config.sinkGroupId }, 'sink started');

  const maintenance = setInterval(() => {
    void withSession(pool, (s) => maintainStorage(s, database.migration.storage, policy))
      .then((r) => logMaintenance(logger, r))
      .catch((err: unknown) => logger.warn({ err }, 'storage maintenance failed; will try again'));
  }, MAINTENANCE_EVERY_MS);
  maintenance.unref();

  return {
    database,
    readiness: [
      { name: 'database', check: async () => void (await pool.query('SELECT 1')) },
      {
        name: 'consumer-groups',
        check: async () => {
          if (!consumers.every((c) => c.ready)) throw new Error('joining consumer groups');
        },
      },
      outage,
    ],
    stop: async () => {
      clearInterval(maintenance);
      abort.abort();
      await Promise.all(consumers.map((c) => c.stop()));
      await producer.disconnect();
      if (!options.pool) await pool.end();
      logger.info('sink stopped');
    },
  };
}

function reportStorage(logger: Logger, { migration, report }: PreparedDatabase): void {
  logger.info(
    {
      storage: migration.storage,
      reason: migration.storageReason,
      applied: migration.applied.map((m) => `${m.version}_${m.name}`),
      policy: report.lines,
    },
    'database ready',
  );
  for (const warning of report.warnings) logger.warn({ warning }, 'storage settings conflict');
}

function logMaintenance(logger: Logger, result: Awaited<ReturnType<typeof maintainStorage>>): void {
  const { createdPartitions, droppedPartitions, deletedAlerts } = result;
  if (createdPartitions.length + droppedPartitions.length + deletedAlerts === 0) return;
  logger.info({ createdPartitions, droppedPartitions, deletedAlerts }, 'storage maintained');
}
