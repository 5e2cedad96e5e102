import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../../lib/log';
import type { BatchWriter } from './batch-writer';
import type { SinkMetrics } from './sink-metrics';

export interface BatchLimits {
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** How long the broker may hold a fetch open to gather `maxBytes`. */
  readonly maxWaitMs: number;
  /** Partitions stored at the same time. */
  readonly concurrency: number;
}

export interface GroupTiming {
  /** Silence after which the broker gives a dead consumer's partitions to others. */
  readonly sessionTimeoutMs: number;
}

export interface TopicConsumerOptions {
  readonly topic: string;
  readonly groupId: string;
  readonly writer: BatchWriter<unknown>;
  readonly limits: BatchLimits;
  readonly timing: GroupTiming;
  readonly metrics: SinkMetrics;
  readonly logger: Logger;
}

// kafkajs's default for a whole fetch response.
const FETCH_MAX_BYTES = 10 * 1024 * 1024;

/**
 * One consumer group per stored topic. The broker gathers a batch (up to
 * the byte limit, or until the wait runs out); the batch is cut into
 * transactions of at most `maxRecords` records and `maxBytes` bytes, and
 * after each transaction commits, and only then, the offset after its last
 * record is committed to Kafka. A crash at any point re-reads at most the
 * records whose rows may or may not have been committed, and the table's
 * keys turn those into no-ops.
 */
export class TopicConsumer {
  private readonly consumer: Consumer;
  private joined = false;

  constructor(
    kafka: Kafka,
    private readonly options: TopicConsumerOptions,
  ) {
    const { limits, timing } = options;
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: limits.maxBytes,
      maxBytes: Math.max(FETCH_MAX_BYTES, limits.maxBytes),
      minBytes: limits.maxBytes,
      maxWaitTimeInMs: limits.maxWaitMs,
      sessionTimeout: timing.sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(timing.sessionTimeoutMs / 5)),
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      this.joined = true;
      const assigned = event.payload.memberAssignment[options.topic] ?? [];
      options.logger.info({ topic: options.topic, partitions: assigned }, 'partitions assigned');
    });
  }

  /** True once the consumer has joined its group. */
  get ready(): boolean {
    return this.joined;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    // A new group starts from the oldest retained record: a sink that
    // skipped history would lose whatever arrived before its first start.
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.limits.concurrency,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const ctx = { topic, partition, heartbeat: payload.heartbeat, isRunning };
    for (const chunk of chunks(batch.messages, this.options.limits)) {
      if (!isRunning() || isStale()) return;
      await this.options.writer.store(chunk, ctx);

      const last = chunk[chunk.length - 1]!.offset;
      const next = (BigInt(last) + 1n).toString();
      resolveOffset(last);
      await commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset: next }] }],
      });
      const lag = Number(BigInt(batch.highWatermark) - BigInt(next));
      this.options.metrics.commitLag.set({ topic, partition: String(partition) }, Math.max(0, lag));
      await payload.heartbeat();
    }
  }
}

/** Consecutive runs of messages within the record and byte limits. */
export function chunks(
  messages: readonly KafkaMessage[],
  limits: Pick<BatchLimits, 'maxRecords' | 'maxBytes'>,
): KafkaMessage[][] {
  const out: KafkaMessage[][] = [];
  let current: KafkaMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = (message.value?.length ?? 0) + (message.key?.length ?? 0);
    const full = current.length >= limits.maxRecords || bytes + size > limits.maxBytes;
    if (current.length > 0 && full) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
