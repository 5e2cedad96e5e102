import { counter, gauge, histogram, latencyBuckets, type Registry } from '../../lib/metrics';

/** The sink's metrics; labels are topics, tables and partitions, never assets. */
export function sinkMetrics(registry: Registry) {
  return {
    records: counter(registry, {
      name: 'smp_sink_records_total',
      help: 'Records consumed by the sink, by topic and outcome (written, expired, dead_lettered)',
      labelNames: ['topic', 'outcome'],
    }),
    rowsWritten: counter(registry, {
      name: 'smp_sink_rows_written_total',
      help: 'Rows inserted (or, for alert states, changed), by table',
      labelNames: ['table'],
    }),
    rowsDuplicate: counter(registry, {
      name: 'smp_sink_rows_duplicate_total',
      help: 'Rows left out because their key was already stored (replays), by table',
      labelNames: ['table'],
    }),
    batchRecords: histogram(registry, {
      name: 'smp_sink_batch_records',
      help: 'Records per database transaction, by topic',
      labelNames: ['topic'],
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000],
    }),
    batchBytes: histogram(registry, {
      name: 'smp_sink_batch_bytes',
      help: 'Record bytes per database transaction, by topic',
      labelNames: ['topic'],
      buckets: [1024, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216],
    }),
    batchSeconds: histogram(registry, {
      name: 'smp_sink_batch_duration_seconds',
      help: 'Time from taking a batch to its rows being committed, retries included, by topic',
      labelNames: ['topic'],
      buckets: latencyBuckets,
    }),
    commitLag: gauge(registry, {
      name: 'smp_sink_commit_lag_records',
      help: 'Records in a partition after the last committed offset, at the last commit',
      labelNames: ['topic', 'partition'],
    }),
    retries: counter(registry, {
      name: 'smp_sink_retries_total',
      help: 'Attempts to store a batch that failed and were retried, by topic and reason',
      labelNames: ['topic', 'reason'],
    }),
  };
}

export type SinkMetrics = ReturnType<typeof sinkMetrics>;
