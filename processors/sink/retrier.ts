import { setTimeout as sleep } from 'node:timers/promises';
import { isSmpError } from '../../lib/errors';
import { classifyDatabaseError } from '../../lib/db';
import type { OutageTracker } from './outage-tracker';
import type { SinkMetrics } from './sink-metrics';

/** What a batch's consumer offers while the batch is being stored. */
export interface BatchContext {
  readonly topic: string;
  readonly partition: number;
  /** Keeps the consumer in its group during long waits; throws on a rebalance. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping. */
  isRunning(): boolean;
}

export interface RetrierOptions {
  readonly maxDelayMs: number;
  readonly outage: OutageTracker;
  readonly metrics: SinkMetrics;
  /** Aborted when the process stops, to cut a wait short. */
  readonly signal: AbortSignal;
}

const FIRST_DELAY_MS = 200;
const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Runs the storing of a batch until it succeeds: a database outage, a
 * registry or broker hiccup, a deadlock all end in a wait with capped
 * exponential backoff and another attempt. Nothing is skipped, so nothing
 * is lost; the consumer fetches nothing new meanwhile. It gives up only
 * when the process stops or the group takes the partition away, and then
 * nothing of the batch has been committed, so it is read again.
 */
export class Retrier {
  constructor(private readonly options: RetrierOptions) {}

  async run<T>(ctx: BatchContext, attempt: () => Promise<T>): Promise<T> {
    const writer = `${ctx.topic}[${ctx.partition}]`;
    for (let n = 1; ; n++) {
      try {
        const result = await attempt();
        this.options.outage.succeeded(writer);
        return result;
      } catch (error) {
        if (!ctx.isRunning() || this.options.signal.aborted) throw error;
        this.options.outage.failed(writer, error);
        this.options.metrics.retries.inc({ topic: ctx.topic, reason: retryReason(error) });
        await this.wait(backoff(n, this.options.maxDelayMs), ctx);
        if (!ctx.isRunning() || this.options.signal.aborted) throw error;
      }
    }
  }

  private async wait(ms: number, ctx: BatchContext): Promise<void> {
    const until = Date.now() + ms;
    for (let left = ms; left > 0; left = until - Date.now()) {
      try {
        await sleep(Math.min(left, HEARTBEAT_EVERY_MS), undefined, {
          signal: this.options.signal,
        });
      } catch {
        return; // stopping: the caller ends the batch
      }
      await ctx.heartbeat();
    }
  }
}

/** Exponential from 200 ms, capped, with jitter so writers do not retry in step. */
export function backoff(attempt: number, maxDelayMs: number): number {
  const ceiling = Math.min(maxDelayMs, FIRST_DELAY_MS * 2 ** Math.min(attempt - 1, 20));
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

function retryReason(error: unknown): string {
  if (isSmpError(error)) return error.code === 'SMP_REGISTRY_UNAVAILABLE' ? 'registry' : 'other';
  if ((error as Error)?.name?.startsWith('KafkaJS')) return 'kafka';
  const failure = classifyDatabaseError(error);
  return failure === 'unavailable'
    ? 'database_unavailable'
    : `database_${failure.replace('-', '_')}`;
}
