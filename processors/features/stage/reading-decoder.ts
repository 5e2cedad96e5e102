import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaMessage } from 'kafkajs';
import { SmpError, isSmpError, messageOf } from '../../../lib/errors';
import type { Logger } from '../../../lib/log';
import type { ReadinessFlag } from '../../../lib/readiness';
import type { AvroSerde } from '../../../lib/serde/avro-serde';
import { readingProblem } from '../reading-rules';
import type { Reading } from '../window/types';

/**
 * Turns a consumed record into a Reading, or into the error that sends it
 * to the dead-letter topic: bytes that are not Avro of a compatible schema,
 * a key that is not the asset id (the asset's readings would be split over
 * partitions), a metric that is not finite, or an event time further ahead
 * of the record's Kafka timestamp than the configured skew. The last check
 * uses the Kafka timestamp rather than the wall clock so that replaying the
 * topic later gives the same verdict.
 *
 * When the registry cannot be reached, the decoder waits and tries again
 * (the stage reports not ready meanwhile) instead of dead-lettering good
 * records.
 */
export class ReadingDecoder {
  constructor(
    private readonly serde: AvroSerde,
    private readonly options: {
      readonly maxFutureSkewMs: number;
      readonly readiness: ReadinessFlag;
      readonly logger: Logger;
      readonly running: () => boolean;
    },
  ) {}

  async decode(message: KafkaMessage, heartbeat: () => Promise<void>): Promise<Reading | SmpError> {
    let reading: Reading;
    try {
      reading = await this.decodeWaitingForRegistry(message.value, heartbeat);
    } catch (error) {
      if (isSmpError(error, 'SMP_DECODE_FAILED')) return error;
      throw error;
    }
    const problem = readingProblem(reading) ?? this.envelopeProblem(message, reading);
    return problem ? new SmpError('SMP_READING_INVALID', problem) : reading;
  }

  private envelopeProblem(message: KafkaMessage, reading: Reading): string | undefined {
    const key = message.key?.toString('utf8');
    if (key !== reading.assetId) {
      return `the record key ${JSON.stringify(key ?? null)} is not the asset id ${JSON.stringify(reading.assetId)}`;
    }
    const appended = Number(message.timestamp);
    if (reading.ts > appended + this.options.maxFutureSkewMs) {
      return `ts ${new Date(reading.ts).toISOString()} is ${reading.ts - appended} ms after the record's Kafka timestamp`;
    }
    return undefined;
  }

  private async decodeWaitingForRegistry(
    value: Buffer | null,
    heartbeat: () => Promise<void>,
  ): Promise<Reading> {
    let delay = 200;
    for (let attempt = 1; ; attempt++) {
      try {
        const reading = await this.serde.decode<Reading>('readings', value);
        if (attempt > 1) {
          this.options.readiness.clear();
          this.options.logger.info({ attempt }, 'schema registry reachable again');
        }
        return reading;
      } catch (error) {
        if (isSmpError(error, 'SMP_DECODE_FAILED') || !this.options.running()) throw error;
        this.options.readiness.fail(`cannot decode: ${messageOf(error)}`);
        if (attempt === 1)
          this.options.logger.warn({ err: error }, 'waiting for the schema registry');
        await sleep(delay);
        delay = Math.min(delay * 2, 5000);
        await heartbeat();
      }
    }
  }
}
