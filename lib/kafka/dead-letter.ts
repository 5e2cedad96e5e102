import type { IHeaders, Message, Producer } from 'kafkajs';
import { isSmpError, messageOf, type ErrorCode } from '../errors';
import { counter, type Registry } from '../metrics';
import type { AvroSerde } from '../serde/avro-serde';
import { topics } from './topics';

/**
 * Dead letters for any stage: a record it cannot process goes to
 * `telemetry.dlq.v1` as a DeadLetter (the original key and value bytes,
 * untouched, with where they came from and why they failed), and the same
 * facts ride along as headers so that a person with kcat can triage, or a
 * consumer filter, without decoding Avro. The original headers (such as the
 * correlation id) are kept.
 */
export const deadLetterHeaders = {
  code: 'smp-error-code',
  message: 'smp-error-message',
  sourceTopic: 'smp-source-topic',
  sourcePartition: 'smp-source-partition',
  sourceOffset: 'smp-source-offset',
  stage: 'smp-stage',
} as const;

/** A record as a consumer received it. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: IHeaders;
}

/** A record a stage gives up on, with where it came from and why. */
export interface DeadLetter {
  readonly sourceTopic: string;
  readonly sourcePartition: number;
  readonly sourceOffset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The original record's headers; they travel on, such as the correlation id. */
  readonly headers?: IHeaders;
  readonly code: ErrorCode;
  readonly message: string;
}

/** The DeadLetter Avro record (schemas/dead-letter.avsc). */
export interface DeadLetterRecord {
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

const MAX_MESSAGE_CHARS = 2000;

/** The code and message under which an error sends a record to the dead-letter topic. */
export function deadLetterReason(error: unknown): { code: ErrorCode; message: string } {
  if (isSmpError(error)) return { code: error.code, message: error.message };
  return { code: 'SMP_INTERNAL', message: messageOf(error) };
}

/** The dead letter of a consumed record that failed with `error`. */
export function letterFor(record: ConsumedRecord, error: unknown): DeadLetter {
  return {
    sourceTopic: record.topic,
    sourcePartition: record.partition,
    sourceOffset: record.offset,
    key: record.key,
    value: record.value,
    headers: record.headers,
    ...deadLetterReason(error),
  };
}

/** The Kafka message that parks a letter on the dead-letter topic. */
export function deadLetterMessage(
  encode: (record: DeadLetterRecord) => Buffer,
  stage: string,
  letter: DeadLetter,
  failedAt: number = Date.now(),
): Message {
  const message = truncate(letter.message);
  return {
    key: letter.key,
    value: encode({
      stage,
      sourceTopic: letter.sourceTopic,
      sourcePartition: letter.sourcePartition,
      sourceOffset: Number(letter.sourceOffset),
      key: letter.key,
      value: letter.value,
      errorCode: letter.code,
      errorMessage: message,
      failedAt,
    }),
    headers: {
      ...withoutOwnHeaders(letter.headers),
      [deadLetterHeaders.code]: letter.code,
      [deadLetterHeaders.message]: message,
      [deadLetterHeaders.sourceTopic]: letter.sourceTopic,
      [deadLetterHeaders.sourcePartition]: String(letter.sourcePartition),
      [deadLetterHeaders.sourceOffset]: letter.sourceOffset,
      [deadLetterHeaders.stage]: stage,
    },
  };
}

export interface DeadLetterWriterOptions {
  /** An idempotent producer (safeProducerConfig); the writer does not own it. */
  readonly producer: Producer;
  readonly serde: AvroSerde;
  /** The stage giving up, such as `sink` or `features`. */
  readonly stage: string;
  readonly registry: Registry;
  /** Defaults to the contract's dead-letter topic. */
  readonly topic?: string;
}

/**
 * Sends letters on their own and waits for acks=all, for stages whose
 * outputs are not Kafka records. Stages send before they commit the source
 * offsets, so a crash may send a letter twice but never loses one; the
 * source topic, partition and offset identify duplicates.
 */
export class DeadLetterWriter {
  private readonly letters;

  constructor(private readonly options: DeadLetterWriterOptions) {
    this.letters = counter(options.registry, {
      name: 'smp_dead_letters_total',
      help: 'Records sent to the dead-letter topic, by stage, source topic and error code',
      labelNames: ['stage', 'source_topic', 'code'],
    });
  }

  async send(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const encode = await this.options.serde.encoder<DeadLetterRecord>('dlq');
    const failedAt = Date.now();
    const { stage } = this.options;
    await this.options.producer.send({
      topic: this.options.topic ?? topics.dlq,
      acks: -1,
      messages: letters.map((letter) => deadLetterMessage(encode, stage, letter, failedAt)),
    });
    for (const letter of letters) {
      this.letters.inc({ stage, source_topic: letter.sourceTopic, code: letter.code });
    }
  }
}

// A letter of a letter keeps the newest reason only.
function withoutOwnHeaders(headers: IHeaders | undefined): IHeaders {
  const kept: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!name.startsWith('smp-') && value !== undefined) kept[name] = value;
  }
  return kept;
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE_CHARS
    ? `${message.slice(0, MAX_MESSAGE_CHARS - 3)}...`
    : message;
}
