import type { KafkaMessage } from 'kafkajs';
import { classifyDatabaseError, sqlState, withClient, type Pool } from '../../lib/db';
import { retentionHorizon, type StoragePolicy } from '../../lib/db/storage-policy';
import { isSmpError, messageOf, type ErrorCode } from '../../lib/errors';
import type { DeadLetter, DeadLetterWriter } from '../../lib/kafka/dead-letter';
import type { AvroSerde } from '../../lib/serde/avro-serde';
import type { CopyMode, CopyOutcome } from './copy-into';
import type { PartitionGuard } from './partition-guard';
import type { BatchContext, Retrier } from './retrier';
import type { SinkMetrics } from './sink-metrics';
import type { SinkTable } from './tables/sink-table';

export interface BatchWriterOptions<T> {
  readonly table: SinkTable<T>;
  readonly pool: Pool;
  readonly serde: AvroSerde;
  readonly deadLetters: DeadLetterWriter;
  readonly guard: PartitionGuard;
  readonly retrier: Retrier;
  readonly metrics: SinkMetrics;
  readonly policy: StoragePolicy;
  /** How far ahead of the clock an event time may be; undefined = no limit. */
  readonly maxFutureMs: number | undefined;
  readonly copyMode: CopyMode;
}

interface Decoded<T> {
  readonly record: T;
  readonly message: KafkaMessage;
}

interface Sorted<T> {
  readonly records: Decoded<T>[];
  readonly letters: DeadLetter[];
  readonly expired: number;
}

interface Written {
  readonly outcomes: CopyOutcome[];
  readonly rejected: DeadLetter[];
}

/**
 * Makes one batch of a partition durable: decoded, checked, written in one
 * transaction, and every record that cannot be stored acknowledged by the
 * dead-letter topic. Only when `store` returns may the batch's offsets be
 * committed. Each attempt starts over from the raw messages, so a retry
 * after a failure half-way repeats nothing that matters: rows already
 * committed are skipped as duplicates.
 */
export class BatchWriter<T> {
  constructor(private readonly options: BatchWriterOptions<T>) {}

  async store(messages: readonly KafkaMessage[], ctx: BatchContext): Promise<void> {
    const started = process.hrtime.bigint();
    const result = await this.options.retrier.run(ctx, async () => {
      const sorted = await this.sort(messages, ctx);
      const written = await this.write(sorted.records, ctx);
      await this.options.deadLetters.send([...sorted.letters, ...written.rejected]);
      return { sorted, written };
    });
    this.count(messages, ctx.topic, result.sorted, result.written, started);
  }

  private async sort(messages: readonly KafkaMessage[], ctx: BatchContext): Promise<Sorted<T>> {
    const { table, serde } = this.options;
    const now = Date.now();
    const horizon = table.retention && retentionHorizon(this.options.policy, table.retention, now);
    const records: Decoded<T>[] = [];
    const letters: DeadLetter[] = [];
    let expired = 0;
    for (const message of messages) {
      let record: T;
      try {
        record = await serde.decode<T>(table.role, message.value);
      } catch (error) {
        if (!isSmpError(error, 'SMP_DECODE_FAILED')) throw error;
        letters.push(letter(ctx, message, error.code, error.message));
        continue;
      }
      const problem = table.problem(record) ?? this.futureProblem(table.eventTime(record), now);
      if (problem !== undefined) {
        letters.push(letter(ctx, message, 'SMP_RECORD_INVALID', problem));
      } else if (horizon !== undefined && table.eventTime(record) < horizon) {
        expired++;
      } else {
        records.push({ record, message });
      }
    }
    return { records, letters, expired };
  }

  private futureProblem(time: number, now: number): string | undefined {
    const { maxFutureMs } = this.options;
    if (maxFutureMs === undefined || time <= now + maxFutureMs) return undefined;
    return (
      `event time ${new Date(time).toISOString()} is more than ` +
      `${maxFutureMs / 3_600_000} h ahead of the clock`
    );
  }

  /**
   * A record the database refuses fails the whole transaction; the batch is
   * halved until the refused records stand alone, and those go to the
   * dead-letter topic while the rest is stored.
   */
  private async write(records: readonly Decoded<T>[], ctx: BatchContext): Promise<Written> {
    if (records.length === 0) return { outcomes: [], rejected: [] };
    const { table, guard } = this.options;
    await guard.cover(
      table.partitioned,
      records.map((r) => table.eventTime(r.record)),
    );
    try {
      return { outcomes: await this.transaction(records), rejected: [] };
    } catch (error) {
      const failure = classifyDatabaseError(error);
      if (failure === 'no-partition') guard.forget();
      if (failure !== 'record') throw error;
      if (records.length === 1) {
        const reason = `the database refused it: ${messageOf(error)} (SQLSTATE ${sqlState(error)})`;
        const rejected = letter(ctx, records[0]!.message, 'SMP_ROW_REJECTED', reason);
        return { outcomes: [], rejected: [rejected] };
      }
      const half = Math.ceil(records.length / 2);
      const first = await this.write(records.slice(0, half), ctx);
      const second = await this.write(records.slice(half), ctx);
      return {
        outcomes: [...first.outcomes, ...second.outcomes],
        rejected: [...first.rejected, ...second.rejected],
      };
    }
  }

  private transaction(records: readonly Decoded<T>[]): Promise<CopyOutcome[]> {
    return withClient(this.options.pool, async (client) => {
      await client.query('BEGIN');
      try {
        const outcomes = await this.options.table.write(
          client,
          records.map((r) => r.record),
          this.options.copyMode,
        );
        await client.query('COMMIT');
        return outcomes;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  private count(
    messages: readonly KafkaMessage[],
    topic: string,
    sorted: Sorted<T>,
    written: Written,
    started: bigint,
  ): void {
    const { metrics } = this.options;
    const stored = sorted.records.length - written.rejected.length;
    const letters = sorted.letters.length + written.rejected.length;
    if (stored > 0) metrics.records.inc({ topic, outcome: 'written' }, stored);
    if (sorted.expired > 0) metrics.records.inc({ topic, outcome: 'expired' }, sorted.expired);
    if (letters > 0) metrics.records.inc({ topic, outcome: 'dead_lettered' }, letters);
    for (const outcome of written.outcomes) {
      metrics.rowsWritten.inc({ table: outcome.table }, outcome.inserted);
      metrics.rowsDuplicate.inc({ table: outcome.table }, outcome.duplicates);
    }
    const bytes = messages.reduce((sum, m) => sum + (m.value?.length ?? 0), 0);
    metrics.batchRecords.observe({ topic }, messages.length);
    metrics.batchBytes.observe({ topic }, bytes);
    metrics.batchSeconds.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

function letter(
  ctx: BatchContext,
  message: KafkaMessage,
  code: ErrorCode,
  reason: string,
): DeadLetter {
  return {
    sourceTopic: ctx.topic,
    sourcePartition: ctx.partition,
    sourceOffset: message.offset,
    key: message.key,
    value: message.value,
    headers: message.headers,
    code,
    message: reason,
  };
}
