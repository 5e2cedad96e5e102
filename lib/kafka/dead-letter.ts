import type { IHeaders, Message } from 'kafkajs';
import { isSmpError, messageOf } from '../errors';

/**
 * Dead letters for any stage: a record it cannot process goes to
 * `telemetry.dlq.v1` as a DeadLetter (the original key and value bytes,
 * untouched, with where they came from and why they failed), and the same
 * facts ride along as headers so that a person with kcat can triage without
 * decoding Avro. The original headers (such as the correlation id) are kept.
 */
export const deadLetterHeaders = {
  code: 'smp-error-code',
  message: 'smp-error-message',
  topic: 'smp-source-topic',
  partition: 'smp-source-partition',
  offset: 'smp-source-offset',
  stage: 'smp-stage',
} as const;

/** The DeadLetter Avro record (schemas/dead-letter.avsc). */
export interface DeadLetter {
  readonly stage: string;
  readonly sourceTopic: string;
  readonly sourcePartition: number;
  readonly sourceOffset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly failedAt: number;
}

/** A record as a consumer received it. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: IHeaders;
}

const MAX_MESSAGE_CHARS = 2000;

/** The Kafka message that parks `record` on the dead-letter topic. */
export function deadLetterMessage(
  encode: (letter: DeadLetter) => Buffer,
  stage: string,
  record: ConsumedRecord,
  error: unknown,
  now: number = Date.now(),
): Message {
  const errorCode = isSmpError(error) ? error.code : 'SMP_INTERNAL';
  const errorMessage = messageOf(error).slice(0, MAX_MESSAGE_CHARS);
  const letter: DeadLetter = {
    stage,
    sourceTopic: record.topic,
    sourcePartition: record.partition,
    sourceOffset: Number(record.offset),
    key: record.key,
    value: record.value,
    errorCode,
    errorMessage,
    failedAt: now,
  };
  return {
    key: record.key,
    value: encode(letter),
    headers: {
      ...record.headers,
      [deadLetterHeaders.code]: errorCode,
      [deadLetterHeaders.message]: errorMessage,
      [deadLetterHeaders.topic]: record.topic,
      [deadLetterHeaders.partition]: String(record.partition),
      [deadLetterHeaders.offset]: record.offset,
      [deadLetterHeaders.stage]: stage,
    },
  };
}
