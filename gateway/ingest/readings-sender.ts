import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from 'kafkajs';
import { SmpError, messageOf } from '../../lib/errors';
import type { Logger } from '../../lib/log';
import type { ReadinessCheck } from '../../lib/readiness';
import type { EncodedBatch } from './encode-readings';
import type { IngestMetrics } from './ingest-metrics';

export interface SenderOptions {
  readonly topic: string;
  /** How long a request waits for Kafka before it is answered 503. */
  readonly deadlineMs: number;
  /** Encoded bytes held for Kafka at once, queued or sent. */
  readonly maxInFlightBytes: number;
  /** Batches waiting together are sent as one request up to this size. */
  readonly maxSendBytes: number;
  /** How long the broker may take to gather acks from the in-sync replicas. */
  readonly ackTimeoutMs: number;
  readonly logger: Logger;
  readonly metrics: IngestMetrics;
}

/** Seconds a client should wait after Kafka failed to take a batch in time. */
export const KAFKA_RETRY_AFTER_SECONDS = 5;
/** Seconds a client should wait when the gateway sheds load. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;
const RECONNECT_DELAY_MS = 2_000;

interface Pending {
  readonly batch: EncodedBatch;
  state: 'queued' | 'sending' | 'answered';
  readonly timer: NodeJS.Timeout;
  readonly resolve: () => void;
  readonly reject: (error: SmpError) => void;
}

/**
 * Hands batches to a long-lived idempotent producer and answers each
 * only when every one of its records is acknowledged by all in-sync
 * replicas. One send is in flight at a time (the idempotent producer
 * serialises requests per broker anyway); batches arriving meanwhile wait
 * and go together in the next send, so many small HTTP batches become few
 * Kafka requests. A batch is never split across sends.
 *
 * Nothing waits without bound: a batch not acknowledged within the
 * deadline is answered 503, and while a send is overdue, new batches are
 * refused at once instead of piling up. A batch refused while queued never
 * reaches Kafka; one refused while being sent may still be written later,
 * which is allowed because consumers are idempotent on (assetId, ts). The
 * bytes of such a send stay counted until Kafka settles it.
 */
export class ReadingsSender {
  private queue: Pending[] = [];
  private inFlightBytes = 0;
  private sending = false;
  private sendStartedAt = 0;
  private stalledSince: number | undefined;
  private connected = false;
  private closing = false;
  private connecting: Promise<void> | undefined;
  private producer: Producer;

  constructor(
    private readonly createProducer: () => Producer,
    private readonly options: SenderOptions,
  ) {
    this.producer = createProducer();
  }

  /** Connects in the background, retrying until it succeeds or the sender closes. */
  start(): Promise<void> {
    let firstAttempt: () => void = () => undefined;
    const attempted = new Promise<void>((resolve) => (firstAttempt = resolve));
    this.connecting = this.connectLoop(firstAttempt);
    return attempted;
  }

  /** Throws the 503 a batch of `bytes` would get right now, before its body is even read. */
  checkAccepting(bytes = 0): void {
    if (this.closing) {
      throw new SmpError('SMP_NOT_READY', 'the gateway is shutting down', {
        retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS,
      });
    }
    if (!this.connected) {
      throw kafkaUnavailable('the gateway is not connected to Kafka');
    }
    if (this.stalledSince !== undefined) {
      const seconds = Math.round((Date.now() - this.sendStartedAt) / 1000);
      throw kafkaUnavailable(`Kafka has not acknowledged a send for ${seconds} s`);
    }
    if (this.inFlightBytes > 0 && this.inFlightBytes + bytes > this.options.maxInFlightBytes) {
      throw new SmpError(
        'SMP_OVERLOADED',
        'the gateway holds as much data for Kafka as it may; retry shortly',
        { retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS },
      );
    }
  }

  /** Resolves once Kafka acknowledged every record of the batch; rejects with a 503 otherwise. */
  send(batch: EncodedBatch): Promise<void> {
    this.checkAccepting(batch.bytes);
    this.holdBytes(batch.bytes);
    return new Promise<void>((resolve, reject) => {
      const pending: Pending = {
        batch,
        state: 'queued',
        timer: setTimeout(() => this.expire(pending), this.options.deadlineMs),
        resolve,
        reject,
      };
      this.queue.push(pending);
      this.pump();
    });
  }

  readiness(): ReadinessCheck {
    return {
      name: 'kafka-producer',
      check: async () => {
        if (!this.connected) throw new Error('not connected to Kafka');
        if (this.stalledSince !== undefined) {
          throw new Error(`a send has waited ${Date.now() - this.sendStartedAt} ms for acks`);
        }
      },
    };
  }

  /** Waits up to `graceMs` for what was accepted to be acknowledged, then disconnects. */
  async close(graceMs = this.options.deadlineMs): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + graceMs;
    while ((this.sending || this.queue.length > 0) && Date.now() < deadline) await sleep(20);
    await this.connecting;
    await this.producer.disconnect().catch(() => undefined);
  }

  private async connectLoop(firstAttempt: () => void): Promise<void> {
    let failures = 0;
    while (!this.closing) {
      try {
        await this.producer.connect();
        this.connected = true;
        this.options.logger.info({ topic: this.options.topic }, 'producer connected');
        break;
      } catch (err) {
        if (failures++ === 0) {
          this.options.logger.warn({ err: messageOf(err) }, 'cannot connect to kafka, retrying');
        }
        firstAttempt();
        await sleep(RECONNECT_DELAY_MS);
      }
    }
    firstAttempt();
  }

  private pump(): void {
    if (this.sending || this.queue.length === 0) return;
    const group: Pending[] = [];
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (group.length > 0 && bytes + next.batch.bytes > this.options.maxSendBytes) break;
      this.queue.shift();
      next.state = 'sending';
      group.push(next);
      bytes += next.batch.bytes;
    }
    const messages =
      group.length === 1 ? group[0]!.batch.messages : group.flatMap((p) => p.batch.messages);

    this.sending = true;
    this.sendStartedAt = Date.now();
    const timer = this.options.metrics.produceSeconds.startTimer();
    this.options.metrics.produceRecords.observe(messages.length);
    this.producer
      .send({
        topic: this.options.topic,
        messages,
        acks: -1,
        timeout: this.options.ackTimeoutMs,
      })
      .then(
        () => {
          timer();
          this.recovered();
          for (const p of group) this.answer(p);
        },
        (error: unknown) => {
          const refusal = sendFailure(error, group.length);
          this.options.logger.warn(
            { err: messageOf(error), records: messages.length, code: refusal.code },
            'kafka send failed',
          );
          for (const p of group) this.answer(p, refusal);
          if (refusal.code === 'SMP_KAFKA_UNAVAILABLE') this.replaceProducer();
        },
      )
      .finally(() => {
        this.releaseBytes(bytes);
        this.sending = false;
        this.stalledSince = undefined;
        this.options.metrics.kafkaStalled.set(0);
        this.pump();
      });
  }

  /**
   * A failed send may still have been written, and kafkajs rolls its
   * sequence numbers back when it gives up; the next batch would then carry
   * the same numbers and the broker could drop it as a duplicate while
   * acknowledging it. A new producer gets a new producer id from the
   * broker, so no acknowledgement can ever stand for records not written.
   */
  private replaceProducer(): void {
    const old = this.producer;
    this.connected = false;
    void old.disconnect().catch(() => undefined);
    this.producer = this.createProducer();
    if (!this.closing) this.connecting = this.connectLoop(() => undefined);
  }

  private expire(pending: Pending): void {
    const refusal = kafkaUnavailable(
      `Kafka did not acknowledge the batch within ${this.options.deadlineMs} ms; nothing was accepted`,
    );
    if (pending.state === 'queued') {
      this.queue = this.queue.filter((p) => p !== pending);
      this.releaseBytes(pending.batch.bytes);
      this.answer(pending, refusal);
      return;
    }
    if (pending.state !== 'sending') return;
    this.answer(pending, refusal);
    if (this.stalledSince === undefined) {
      this.stalledSince = Date.now();
      this.options.metrics.kafkaStalled.set(1);
      this.options.logger.warn(
        { waitedMs: Date.now() - this.sendStartedAt, deadlineMs: this.options.deadlineMs },
        'kafka send overdue, refusing batches until it completes',
      );
    }
    // Queued batches would only wait behind the overdue send: answer them now.
    for (const queued of this.queue) {
      this.releaseBytes(queued.batch.bytes);
      this.answer(queued, refusal);
    }
    this.queue = [];
  }

  private recovered(): void {
    if (this.stalledSince === undefined) return;
    this.options.logger.info(
      { stalledMs: Date.now() - this.stalledSince },
      'kafka acknowledges again',
    );
  }

  private answer(pending: Pending, error?: SmpError): void {
    if (pending.state === 'answered') return;
    pending.state = 'answered';
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve();
  }

  private holdBytes(bytes: number): void {
    this.inFlightBytes += bytes;
    this.options.metrics.inFlightBytes.set(this.inFlightBytes);
  }

  private releaseBytes(bytes: number): void {
    this.inFlightBytes -= bytes;
    this.options.metrics.inFlightBytes.set(this.inFlightBytes);
  }
}

function kafkaUnavailable(message: string): SmpError {
  return new SmpError('SMP_KAFKA_UNAVAILABLE', message, {
    retryAfterSeconds: KAFKA_RETRY_AFTER_SECONDS,
  });
}

const TOO_LARGE = /MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE|larger than the (max|configured)/;

function sendFailure(error: unknown, batches: number): SmpError {
  if (batches === 1 && isTooLarge(error)) {
    return new SmpError(
      'SMP_BATCH_TOO_LARGE',
      'Kafka refused the batch as too large; send fewer readings per request',
      { cause: error },
    );
  }
  return new SmpError(
    'SMP_KAFKA_UNAVAILABLE',
    `Kafka did not take the batch: ${messageOf(error)}`,
    {
      cause: error,
      retryAfterSeconds: KAFKA_RETRY_AFTER_SECONDS,
    },
  );
}

/** Whether Kafka refused a request for its size, looking through kafkajs's wrapped causes. */
function isTooLarge(error: unknown): boolean {
  for (let e = error as { type?: string; message?: string; cause?: unknown } | undefined; e; ) {
    if (TOO_LARGE.test(e.type ?? '') || TOO_LARGE.test(e.message ?? '')) return true;
    e = e.cause as typeof e;
  }
  return false;
}
