import type { IHeaders, KafkaMessage, Message, TopicMessages } from 'kafkajs';
import {
  deadLetterMessage,
  letterFor,
  type DeadLetterRecord,
} from '../../../lib/kafka/dead-letter';
import type { SmpError } from '../../../lib/errors';
import type { ClosedWindow, EngineListener, LateEvent } from '../window/types';
import type { FeatureStageMetrics } from './stage-metrics';

export interface OutputTopics {
  readonly input: string;
  readonly features: string;
  readonly late: string;
  readonly dlq: string;
}

export interface OutputEncoders {
  readonly features: (value: unknown) => Buffer;
  readonly late: (value: unknown) => Buffer;
  readonly dlq: (value: DeadLetterRecord) => Buffer;
}

/**
 * Collects what the engine reports as Kafka messages until the next cut:
 * feature vectors and late readings keyed by asset id, dead letters keyed
 * as the original record. Counts them on the way.
 */
export class StageOutputs implements EngineListener {
  private pending = new Map<string, Message[]>();
  private count = 0;
  /** Headers of the record being processed, carried onto its late reading. */
  private headers: IHeaders | undefined;

  constructor(
    private readonly topics: OutputTopics,
    private readonly encode: OutputEncoders,
    private readonly metrics: FeatureStageMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Sets the headers of the record whose outputs follow. */
  forRecord(headers: IHeaders | undefined): void {
    this.headers = headers;
  }

  routed(pipeline: string): void {
    this.metrics.readingsIn.inc({ pipeline });
  }

  window(w: ClosedWindow): void {
    const emittedAt = this.now();
    this.push(this.topics.features, {
      key: w.assetId,
      value: this.encode.features({
        assetId: w.assetId,
        pipeline: w.pipeline,
        windowStart: w.windowStart,
        windowEnd: w.windowEnd,
        recordCount: w.recordCount,
        features: w.features,
        missingMetrics: w.missingMetrics,
        closeReason: w.closeReason,
        emittedAt,
      }),
    });
    this.metrics.vectorsOut.inc({ pipeline: w.pipeline, reason: w.closeReason });
    this.metrics.closeLagEvent.observe(
      { pipeline: w.pipeline },
      (w.assetClock - w.windowEnd) / 1000,
    );
    this.metrics.closeLagWall.observe({ pipeline: w.pipeline }, (emittedAt - w.windowEnd) / 1000);
  }

  late(event: LateEvent): void {
    this.push(this.topics.late, {
      key: event.reading.assetId,
      headers: this.headers,
      value: this.encode.late({
        reading: { receivedAt: null, ...event.reading },
        pipeline: event.pipeline,
        reason: event.reason,
        lateByMs: event.lateByMs,
        assetClock: event.assetClock,
        detectedAt: this.now(),
      }),
    });
    this.metrics.late.inc({ pipeline: event.pipeline });
  }

  duplicate(pipeline: string): void {
    this.metrics.duplicates.inc({ pipeline });
  }

  deadLetter(partition: number, message: KafkaMessage, error: SmpError): void {
    const record = { ...message, topic: this.topics.input, partition };
    const letter = letterFor(record, error);
    this.push(this.topics.dlq, deadLetterMessage(this.encode.dlq, 'features', letter));
    this.metrics.deadLetters.inc({ code: error.code });
  }

  /** Everything collected since the last call. */
  take(): TopicMessages[] {
    const out = [...this.pending].map(([topic, messages]) => ({ topic, messages }));
    this.pending = new Map();
    this.count = 0;
    return out;
  }

  private push(topic: string, message: Message): void {
    let list = this.pending.get(topic);
    if (!list) this.pending.set(topic, (list = []));
    list.push(message);
    this.count++;
  }
}
