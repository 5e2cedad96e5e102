import type { Admin, IHeaders, Producer } from 'kafkajs';
import type { Config } from '../../lib/config';
import { createKafka, safeProducerConfig } from '../../lib/kafka/client';
import { topics, type TopicRole } from '../../lib/kafka/topics';
import { createLogger } from '../../lib/log';
import { AvroSerde } from '../../lib/serde/avro-serde';

/**
 * Producing contract records the way upstream stages do (Avro, keyed by
 * asset, acks=all), and placing a new consumer group at the end of its
 * topics so a test's sink reads only what the test produced.
 */
export class TestTelemetry {
  readonly serde: AvroSerde;
  private readonly kafka;
  private producer: Producer | undefined;
  private admin: Admin | undefined;

  constructor(private readonly config: Config) {
    const logger = createLogger({ level: 'error', name: 'test-telemetry' });
    this.kafka = createKafka(config, { stage: 'test', logger });
    this.serde = new AvroSerde({ registryUrl: config.schemaRegistryUrl, autoRegister: true });
  }

  /** Sends records with acks=all; resolves once every one is acknowledged. */
  async produce<T extends { assetId: string }>(
    role: TopicRole,
    records: readonly T[],
    headers?: IHeaders,
  ): Promise<void> {
    const encode = await this.serde.encoder<T>(role);
    await this.send(
      role,
      records.map((r) => ({ key: r.assetId, value: encode(r), headers })),
    );
  }

  async send(
    role: TopicRole,
    messages: { key: string | null; value: Buffer | null; headers?: IHeaders }[],
  ): Promise<void> {
    this.producer ??= this.kafka.producer(safeProducerConfig());
    await this.producer.connect();
    await this.producer.send({ topic: topics[role], acks: -1, messages });
  }

  /** Commits the current end of each topic for `groupId`, as if it had read everything. */
  async startAtEnd(groupId: string, roles: readonly TopicRole[]): Promise<void> {
    const admin = await this.connectedAdmin();
    for (const role of roles) {
      const ends = await admin.fetchTopicOffsets(topics[role]);
      await admin.setOffsets({
        groupId,
        topic: topics[role],
        partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
      });
    }
  }

  /** The end offsets of a topic, to replay from later. */
  async endOffsets(role: TopicRole): Promise<{ partition: number; offset: string }[]> {
    const admin = await this.connectedAdmin();
    const ends = await admin.fetchTopicOffsets(topics[role]);
    return ends.map((p) => ({ partition: p.partition, offset: p.high }));
  }

  async setOffsets(
    groupId: string,
    role: TopicRole,
    partitions: { partition: number; offset: string }[],
  ): Promise<void> {
    const admin = await this.connectedAdmin();
    await admin.setOffsets({ groupId, topic: topics[role], partitions });
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    await this.admin?.disconnect();
  }

  private async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin;
  }
}

/** Polls `probe` until it returns true, or fails with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
