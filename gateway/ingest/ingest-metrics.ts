import type { Counter, Gauge, Histogram } from 'prom-client';
import { counter, gauge, histogram, latencyBuckets, type Registry } from '../../lib/metrics';

/** Why the readings of a refused batch were refused: a bounded label. */
export type RejectReason =
  | 'malformed'
  | 'invalid'
  | 'batch_too_large'
  | 'rate_limited'
  | 'kafka_unavailable'
  | 'overloaded'
  | 'registry_unavailable'
  | 'internal';

export interface IngestMetrics {
  readonly accepted: Counter;
  readonly rejected: Counter<'reason'>;
  readonly problems: Counter<'rule'>;
  readonly rateLimited: Counter<'scope' | 'limit'>;
  readonly produceSeconds: Histogram;
  readonly produceRecords: Histogram;
  readonly inFlightBytes: Gauge;
  readonly kafkaStalled: Gauge;
}

export function ingestMetrics(registry: Registry): IngestMetrics {
  return {
    accepted: counter(registry, {
      name: 'smp_gateway_readings_accepted_total',
      help: 'Readings acknowledged by Kafka and answered with 202',
    }),
    rejected: counter(registry, {
      name: 'smp_gateway_readings_rejected_total',
      help: 'Readings in refused batches, by reason',
      labelNames: ['reason'],
    }),
    problems: counter(registry, {
      name: 'smp_gateway_reading_problems_total',
      help: 'Validation problems found in readings, by rule',
      labelNames: ['rule'],
    }),
    rateLimited: counter(registry, {
      name: 'smp_gateway_rate_limited_total',
      help: 'Requests refused by a rate limit, by scope (key, global) and limit (rate, burst)',
      labelNames: ['scope', 'limit'],
    }),
    produceSeconds: histogram(registry, {
      name: 'smp_gateway_produce_duration_seconds',
      help: 'Time from handing a Kafka send to the client until every broker acknowledged it',
      buckets: latencyBuckets,
    }),
    produceRecords: histogram(registry, {
      name: 'smp_gateway_produce_batch_records',
      help: 'Records per Kafka send; concurrent HTTP batches share a send',
      buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10000, 25000],
    }),
    inFlightBytes: gauge(registry, {
      name: 'smp_gateway_in_flight_bytes',
      help: 'Encoded bytes waiting for Kafka to acknowledge them',
    }),
    kafkaStalled: gauge(registry, {
      name: 'smp_gateway_kafka_stalled',
      help: '1 while a Kafka send has been waiting longer than the produce deadline',
    }),
  };
}
