import { randomUUID } from 'node:crypto';
import type { Consumer, IHeaders, Kafka, Producer } from 'kafkajs';
import type { Config } from '../../lib/config';
import { createKafka, safeProducerConfig } from '../../lib/kafka/client';
import { topics, type TopicRole } from '../../lib/kafka/topics';
import { createLogger } from '../../lib/log';
import { AvroSerde } from '../../lib/serde/avro-serde';
import { changelogTopicName, type Reading } from '../../processors/features';

/** Produces and reads back contract records for integration tests. */
export class KafkaIo {
  readonly kafka: Kafka;
  readonly serde: AvroSerde;
  private producer: Producer | undefined;
  private readonly consumers: Consumer[] = [];
  private readonly ownTopics: string[] = [];

  constructor(readonly config: Config) {
    const logger = createLogger({ level: 'error', name: 'test-io' });
    this.kafka = createKafka(config, { stage: 'test-io', logger });
    this.serde = new AvroSerde({ registryUrl: config.schemaRegistryUrl, autoRegister: true });
  }

  /** Readings keyed by asset id, in order, acknowledged by every replica. */
  async produceReadings(
    readings: readonly Reading[],
    topic: string = topics.readings,
  ): Promise<void> {
    const encode = await this.serde.encoder<Reading>('readings');
    const messages = readings.map((r) => ({
      key: r.assetId,
      value: encode({ receivedAt: null, ...r }),
    }));
    await this.produceRaw(topic, messages);
  }

  async produceRaw(
    topic: string,
    messages: { key: string | null; value: Buffer | null; headers?: IHeaders }[],
  ): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer(safeProducerConfig());
      await this.producer.connect();
    }
    for (let i = 0; i < messages.length; i += 2000) {
      await this.producer.send({ topic, acks: -1, messages: messages.slice(i, i + 2000) });
    }
  }

  /**
   * Reads a contract topic from the beginning, keeping records whose key
   * passes `keep`, until `enough` says so or the time is up.
   */
  async collect<T>(
    role: TopicRole,
    options: {
      topic?: string;
      keep: (key: string) => boolean;
      enough: (records: Collected<T>[]) => boolean;
      timeoutMs?: number;
    },
  ): Promise<Collected<T>[]> {
    const { keep, enough, timeoutMs = 30_000 } = options;
    const consumer = this.kafka.consumer({ groupId: `test-collect-${randomUUID()}` });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic ?? topics[role], fromBeginning: true });
    const records: Collected<T>[] = [];
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString('utf8') ?? '';
        if (!keep(key)) return;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        records.push({ key, value: await this.serde.decode<T>(role, message.value), headers });
        if (enough(records)) done();
      },
    });
    const timer = setTimeout(done, timeoutMs);
    await finished;
    clearTimeout(timer);
    await consumer.disconnect();
    return records;
  }

  /**
   * Input and output topics of a feature stage of a test's own, and a
   * consumer group whose changelog is removed with them.
   */
  async stageTopics(kind: string): Promise<{ topics: StageTopics; groupId: string }> {
    const run = randomUUID().slice(0, 8);
    const topics = {
      input: `test.${kind}.${run}.readings`,
      features: `test.${kind}.${run}.features`,
      late: `test.${kind}.${run}.late`,
      dlq: `test.${kind}.${run}.dlq`,
    };
    const groupId = `test-${kind}-${run}`;
    await this.createTopics(Object.values(topics));
    this.deleteOnClose(changelogTopicName(groupId));
    return { topics, groupId };
  }

  /** Removes a topic (such as a stage's changelog) when the test closes. */
  deleteOnClose(topic: string): void {
    this.ownTopics.push(topic);
  }

  /** Topics of a test's own, removed by `close`. */
  async createTopics(names: readonly string[], partitions = 6): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
      this.ownTopics.push(...names);
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    if (this.ownTopics.length > 0) {
      const admin = this.kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: this.ownTopics }).catch(() => undefined);
      await admin.disconnect();
    }
    await Promise.all(this.consumers.map((c) => c.disconnect().catch(() => undefined)));
    await this.producer?.disconnect();
  }
}

export interface StageTopics {
  readonly input: string;
  readonly features: string;
  readonly late: string;
  readonly dlq: string;
}

export interface Collected<T> {
  readonly key: string;
  readonly value: T;
  readonly headers: Record<string, string>;
}

/** The FeatureVector record as decoded. */
export interface FeatureVectorRecord {
  assetId: string;
  pipeline: string;
  windowStart: number;
  windowEnd: number;
  recordCount: number;
  features: Record<string, number>;
  missingMetrics: string[];
  closeReason: string;
  emittedAt: number;
}

/** A vector's identity and content, without the wall-clock emittedAt. */
export function vectorContent(v: FeatureVectorRecord): Omit<FeatureVectorRecord, 'emittedAt'> {
  const content: Partial<FeatureVectorRecord> = { ...v };
  delete content.emittedAt;
  return content as Omit<FeatureVectorRecord, 'emittedAt'>;
}

export const vectorId = (v: {
  assetId: string;
  pipeline: string;
  windowStart: number;
  windowEnd: number;
}) => `${v.pipeline}|${v.assetId}|${v.windowStart}|${v.windowEnd}`;

/** An `enough` test for `collect` that counts distinct records as they come, in linear time. */
export function distinctAtLeast<T>(count: number, id: (record: T) => string) {
  const seen = new Set<string>();
  let looked = 0;
  return (records: T[]) => {
    for (; looked < records.length; looked++) seen.add(id(records[looked]!));
    return seen.size >= count;
  };
}
