import type { Batch, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Config } from '../../../lib/config';
import { SmpError } from '../../../lib/errors';
import { createKafka, safeProducerConfig } from '../../../lib/kafka/client';
import type { DeadLetterRecord } from '../../../lib/kafka/dead-letter';
import { topics as contractTopics } from '../../../lib/kafka/topics';
import type { Logger } from '../../../lib/log';
import type { Registry } from '../../../lib/metrics';
import { ReadinessFlag, type ReadinessCheck } from '../../../lib/readiness';
import { AvroSerde } from '../../../lib/serde/avro-serde';
import type { PipelineDefinition } from '../../../pipelines';
import { FeatureEngine } from '../window/feature-engine';
import type { Reading } from '../window/types';
import { CheckpointWriter, type Cut } from './checkpoint-writer';
import { copartitionedAssigner } from './copartitioned-assigner';
import { PartitionOwnership } from './partition-ownership';
import { ReadingDecoder } from './reading-decoder';
import { featureStageMetrics } from './stage-metrics';
import { StageOutputs, type OutputTopics } from './stage-outputs';
import { changelogTopicName, ensureChangelogTopic, metaMessage } from './state-changelog';

export interface FeatureStageOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly pipelines: readonly PipelineDefinition[];
  /** Default: SMP_FEATURES_GROUP_ID. */
  readonly groupId?: string;
  /** Default: the contract topics. */
  readonly topics?: Partial<OutputTopics>;
}

export interface FeatureStage {
  readonly readiness: readonly ReadinessCheck[];
  /** Resolves when the stage stopped, rejects when it failed for good. */
  readonly done: Promise<void>;
  /** Live records processed so far (not counting replays). */
  readonly processed: () => number;
  stop(): Promise<void>;
}

/** Pending outputs beyond which processing waits for the writer. */
const MAX_PENDING_OUTPUTS = 20_000;
const LAG_REFRESH_MS = 10_000;

/**
 * `smp features`: a consumer group over the readings that feeds the window
 * engine and produces feature vectors, late readings and dead letters.
 * See checkpoint-writer.ts for what is written when, and
 * partition-ownership.ts for how a partition's state comes back.
 */
export async function startFeatureStage(
  config: Config,
  options: FeatureStageOptions,
): Promise<FeatureStage> {
  const groupId = options.groupId ?? config.featuresGroupId;
  const topics: OutputTopics = {
    input: contractTopics.readings,
    features: contractTopics.features,
    late: contractTopics.late,
    dlq: contractTopics.dlq,
    ...options.topics,
  };
  const changelogTopic = changelogTopicName(groupId);
  const logger = options.logger.child({ stage: 'features', groupId });
  const kafka = createKafka(config, { stage: 'features', logger, retries: 10 });
  const admin = kafka.admin();
  await admin.connect();
  await ensureChangelogTopic(admin, config, topics.input, changelogTopic);

  const serde = new AvroSerde({
    registryUrl: config.schemaRegistryUrl,
    autoRegister: config.schemaAutoRegister,
  });
  const encoders = {
    features: await serde.encoder<unknown>('features'),
    late: await serde.encoder<unknown>('late'),
    dlq: await serde.encoder<DeadLetterRecord>('dlq'),
  };
  const engine = new FeatureEngine(options.pipelines);
  const metrics = featureStageMetrics(options.registry, () => engine);
  const outputs = new StageOutputs(topics, encoders, metrics);
  const joined = new ReadinessFlag('features-group');
  joined.fail('not a member of the consumer group yet');
  const registryFlag = new ReadinessFlag('schema-registry');

  const producer = kafka.producer(safeProducerConfig());
  const consumer = kafka.consumer({
    groupId,
    partitionAssigners: [copartitionedAssigner],
    sessionTimeout: config.kafkaSessionTimeoutMs,
    heartbeatInterval: Math.min(3000, Math.floor(config.kafkaSessionTimeoutMs / 3)),
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 500,
  });
  await producer.connect();
  await consumer.connect();

  let stopping = false;
  let processed = 0;
  let settleDone: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => (settleDone = { resolve, reject }));
  done.catch(() => undefined);
  const fail = (error: unknown) => {
    logger.error({ err: error }, 'feature stage failed');
    settleDone?.reject(error);
    stop().catch(() => undefined);
  };

  const ownership = new PartitionOwnership({
    consumer,
    admin,
    engine,
    groupId,
    inputTopic: topics.input,
    changelogTopic,
    logger,
    onRestored: (_p, seconds) => metrics.restoreSeconds.observe(seconds),
    onFailure: (error) => {
      if (!stopping) fail(error);
    },
  });
  const decoder = new ReadingDecoder(serde, {
    maxFutureSkewMs: config.featuresMaxFutureSkewMs,
    readiness: registryFlag,
    logger,
    running: () => !stopping,
  });
  const writer = new CheckpointWriter({
    producer,
    consumer,
    inputTopic: topics.input,
    changelogTopic,
    logger,
    takeCut,
    owns: (p) => ownership.phase(p)?.kind === 'active',
    onCommitted: (p, offset) => {
      const phase = ownership.phase(p);
      if (phase?.kind === 'active') phase.committed = Math.max(phase.committed, offset);
    },
    onWritten: (seconds) => metrics.flushSeconds.observe(seconds),
  });

  function takeCut(): Cut | undefined {
    const cut: Cut = { outputs: outputs.take(), checkpoints: [], commits: [] };
    for (const [partition, phase] of ownership.active()) {
      for (const meta of engine.takeCheckpoint(partition, phase.position)) {
        cut.checkpoints.push(metaMessage(meta, partition));
      }
      if (phase.position > phase.committed) {
        cut.commits.push({ partition, offset: phase.position });
      }
    }
    const empty = cut.outputs.length + cut.checkpoints.length + cut.commits.length === 0;
    return empty ? undefined : cut;
  }

  let batchInFlight: Promise<void> = Promise.resolve();
  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    if (stopping) return;
    const work = handleBatch(payload);
    batchInFlight = work.catch(() => undefined);
    await work;
  }

  async function handleBatch({ batch, resolveOffset, heartbeat, isStale }: EachBatchPayload) {
    if (batch.topic === changelogTopic) {
      ownership.applyChangelog(batch);
      resolveOffset(batch.lastOffset());
      return;
    }
    const phase = ownership.phase(batch.partition);
    if (phase?.kind !== 'active' || isStale()) return;
    const messages = batch.messages.filter((m) => Number(m.offset) >= phase.position);
    const decoded: (Reading | SmpError)[] = [];
    for (const message of messages) decoded.push(await decoder.decode(message, heartbeat));
    if (stopping || ownership.phase(batch.partition) !== phase) return;

    // From here to the end of the loop nothing awaits, so an idle sweep or a
    // cut never sees a batch half applied.
    messages.forEach((message, i) => {
      processRecord(batch, message, decoded[i]!, phase.liveFrom);
    });
    phase.position = Math.max(phase.position, Number(batch.lastOffset()) + 1);
    resolveOffset(batch.lastOffset());
    metrics.consumerLag.set(
      { partition: String(batch.partition) },
      Math.max(0, Number(batch.highWatermark) - phase.position),
    );
    if (writer.failed) throw writer.failed;
    writer.request();
    if (outputs.size > MAX_PENDING_OUTPUTS) await writer.settle();
  }

  function processRecord(
    batch: Batch,
    message: KafkaMessage,
    decoded: Reading | SmpError,
    liveFrom: number,
  ): void {
    const offset = Number(message.offset);
    const live = offset >= liveFrom;
    if (live) processed++;
    else metrics.replayed.inc();
    if (decoded instanceof SmpError) {
      if (live) outputs.deadLetter(batch.partition, message, decoded);
      return;
    }
    outputs.forRecord(message.headers);
    const routes = engine.process(decoded, batch.partition, offset, outputs);
    if (routes === 0 && live) metrics.unrouted.inc();
  }

  const sweep = setInterval(() => {
    if (stopping) return;
    if (engine.sweepIdle(outputs) > 0) writer.request();
  }, config.featuresIdleSweepMs);
  let reported = 0;
  const lag = setInterval(() => {
    refreshLag().catch((error: unknown) => logger.debug({ err: error }, 'lag refresh failed'));
    logger.info(
      { processed, since: processed - reported, pending: outputs.size, writing: writer.busy },
      'progress',
    );
    reported = processed;
  }, LAG_REFRESH_MS);

  async function refreshLag(): Promise<void> {
    const offsets = await admin.fetchTopicOffsets(topics.input);
    metrics.consumerLag.reset();
    for (const [partition, phase] of ownership.active()) {
      const high = Number(offsets.find((o) => o.partition === partition)?.high ?? 0);
      metrics.consumerLag.set({ partition: String(partition) }, Math.max(0, high - phase.position));
    }
  }

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined.clear();
    ownership.assign(payload.memberAssignment[topics.input] ?? []);
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) fail(payload.error);
  });
  await consumer.subscribe({ topics: [topics.input, changelogTopic], fromBeginning: true });
  await consumer.run({ eachBatch, eachBatchAutoResolve: false, autoCommit: false });
  logger.info({ pipelines: options.pipelines.map((p) => p.name), topics }, 'feature stage started');

  // Hoisted: `fail` above may call it before this line runs.
  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    clearInterval(sweep);
    clearInterval(lag);
    await batchInFlight;
    writer.request();
    try {
      await writer.settle();
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
      settleDone?.resolve();
      logger.info({ processed }, 'feature stage stopped');
    }
  }

  return {
    readiness: [joined, registryFlag],
    done,
    processed: () => processed,
    stop,
  };
}
