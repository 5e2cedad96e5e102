import type { IHeaders, Producer } from 'kafkajs';
import { isSmpError, messageOf, type ErrorCode } from '../errors';
import { counter, type Registry } from '../metrics';
import type { AvroSerde } from '../serde/avro-serde';
import { topics } from './topics';

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

// Headers carry the reason too, so a consumer can filter dead letters
// without decoding them, and a record keeps its reason if it is copied.
export const deadLetterHeaders = {
  code: 'smp-error-code',
  message: 'smp-error-message',
  sourceTopic: 'smp-source-topic',
  sourcePartition: 'smp-source-partition',
  sourceOffset: 'smp-source-offset',
  stage: 'smp-stage',
} as const;

const MAX_MESSAGE_CHARS = 2000;

/**
 * Sends records a stage cannot process to the dead-letter topic, as
 * `DeadLetter` Avro with the original key and bytes, and waits for acks=all.
 * Stages send before they commit the source offsets, so a crash may send a
 * letter twice but never loses one; the source topic, partition and offset
 * identify duplicates.
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
    const encode = await this.options.serde.encoder('dlq');
    const failedAt = Date.now();
    const { stage } = this.options;
    await this.options.producer.send({
      topic: this.options.topic ?? topics.dlq,
      acks: -1,
      messages: letters.map((letter) => {
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
      }),
    });
    for (const letter of letters) {
      this.letters.inc({ stage, source_topic: letter.sourceTopic, code: letter.code });
    }
  }
}

/** The code and message under which an error sends a record to the dead-letter topic. */
export function deadLetterReason(error: unknown): { code: ErrorCode; message: string } {
  if (isSmpError(error)) return { code: error.code, message: error.message };
  return { code: 'SMP_INTERNAL', message: messageOf(error) };
}

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
