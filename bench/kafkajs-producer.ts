import type { Config } from '../lib/config';
import { createKafka, safeProducerConfig } from '../lib/kafka/client';
import { createLogger } from '../lib/log';
import type { EncodedBatch } from '../gateway/ingest/encode-readings';

export interface ClientResult {
  readonly records: number;
  readonly recordsPerSecond: number;
}

/**
 * The gateway's Kafka client alone: the same encoded records (key, Avro
 * value, correlation id header), one send of `perSend` records at a time
 * with acks=all and idempotence, as the gateway sends them. Its rate is
 * the ceiling the gateway can approach, whatever HTTP and validation cost.
 */
export async function runKafkajsProducer(
  config: Config,
  topic: string,
  batches: readonly EncodedBatch[],
): Promise<ClientResult> {
  const logger = createLogger({ level: 'warn', name: 'bench' });
  const producer = createKafka(config, { stage: 'bench', logger }).producer(safeProducerConfig());
  await producer.connect();
  try {
    const send = (batch: EncodedBatch) =>
      producer.send({ topic, acks: -1, messages: batch.messages });
    await send(batches[0]!);
    const started = performance.now();
    let records = 0;
    for (const batch of batches) {
      await send(batch);
      records += batch.messages.length;
    }
    const seconds = (performance.now() - started) / 1000;
    return { records, recordsPerSecond: records / seconds };
  } finally {
    await producer.disconnect();
  }
}
