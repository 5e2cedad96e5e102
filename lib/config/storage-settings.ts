import { z } from 'zod';
import {
  HOURS_PER_DAY,
  MIB,
  MS_PER_SECOND,
  int,
  retentionDays,
  setting,
  sinkTopicList,
  sinkTopicRoles,
} from './setting-types';

/** Where and how long data is kept, and how the sink batches its writes. */
export const storageSettings = {
  storage: setting(
    'SMP_STORAGE',
    z.enum(['auto', 'timescale', 'plain']),
    'auto',
    'Storage path of a new database: timescale (hypertables), plain (partitioned tables) or auto (timescale when the extension can be created).',
  ),
  storageChunkHours: setting(
    'SMP_STORAGE_CHUNK_HOURS',
    int(1, 365 * HOURS_PER_DAY),
    '24',
    'Hours of data per hypertable chunk or per partition of the time-series tables.',
  ),
  storagePartitionsAhead: setting(
    'SMP_STORAGE_PARTITIONS_AHEAD',
    int(1, 1000),
    '3',
    'Plain PostgreSQL only: partitions created ahead of the current time.',
  ),
  retentionReadingsDays: setting(
    'SMP_RETENTION_READINGS_DAYS',
    retentionDays,
    '30',
    'Days of readings kept; older ones are dropped by whole chunks or partitions (0 = keep all).',
  ),
  retentionReadingsHourlyDays: setting(
    'SMP_RETENTION_READINGS_HOURLY_DAYS',
    retentionDays,
    '730',
    'TimescaleDB only: days of hourly per-metric statistics kept (0 = keep all).',
  ),
  retentionFeaturesDays: setting(
    'SMP_RETENTION_FEATURES_DAYS',
    retentionDays,
    '90',
    'Days of feature vectors kept (0 = keep all).',
  ),
  retentionPredictionsDays: setting(
    'SMP_RETENTION_PREDICTIONS_DAYS',
    retentionDays,
    '365',
    'Days of predictions kept (0 = keep all).',
  ),
  retentionAlertsDays: setting(
    'SMP_RETENTION_ALERTS_DAYS',
    retentionDays,
    '730',
    'Days resolved alerts and their events are kept (0 = keep all); open alerts are never dropped.',
  ),
  compressionAfterDays: setting(
    'SMP_COMPRESSION_AFTER_DAYS',
    retentionDays,
    '7',
    'TimescaleDB only: compress chunks once their data is this many days old (0 = off).',
  ),
  sinkGroupId: setting(
    'SMP_SINK_GROUP_ID',
    z.string().min(1).max(200),
    'smp-sink',
    'Consumer group prefix of `smp sink`; each topic has its own group, `<prefix>.<topic role>`.',
  ),
  sinkTopics: setting(
    'SMP_SINK_TOPICS',
    sinkTopicList,
    sinkTopicRoles.join(','),
    'Topics `smp sink` stores, by role, comma-separated.',
  ),
  sinkBatchMaxRecords: setting(
    'SMP_SINK_BATCH_MAX_RECORDS',
    int(1, 1_000_000),
    '5000',
    'Most records the sink writes in one database transaction.',
  ),
  sinkBatchMaxBytes: setting(
    'SMP_SINK_BATCH_MAX_BYTES',
    int(1024, 256 * MIB),
    String(4 * MIB),
    'Most record bytes the sink writes in one transaction, and fetches per partition at once.',
  ),
  sinkBatchMaxWaitMs: setting(
    'SMP_SINK_BATCH_MAX_WAIT_MS',
    int(0, 60 * MS_PER_SECOND),
    '250',
    'Milliseconds the broker may hold a fetch to fill a batch when little data arrives.',
  ),
  sinkConcurrency: setting(
    'SMP_SINK_CONCURRENCY',
    int(1, 64),
    '2',
    'Partitions of one topic the sink writes at the same time, each on its own connection.',
  ),
  sinkRetryMaxMs: setting(
    'SMP_SINK_RETRY_MAX_MS',
    int(100, 10 * 60 * MS_PER_SECOND),
    '5000',
    'Longest pause between two attempts to write while the database is unavailable.',
  ),
  sinkMaxFutureHours: setting(
    'SMP_SINK_MAX_FUTURE_HOURS',
    int(0, 10 * 365 * HOURS_PER_DAY),
    '24',
    'Records stamped more than this many hours ahead of the clock go to the dead-letter topic (0 = no limit).',
  ),
} as const;
