import { z } from 'zod';

/**
 * Every environment variable the project reads, in one table. The loader
 * validates them once at start; the README's configuration table is checked
 * against this list by a test, so a setting cannot go undocumented.
 *
 * Contract names (KAFKA_BROKERS, ...) are fixed by the architecture; every
 * other setting carries the SMP_ prefix so that an unknown SMP_ variable can
 * be reported as a probable typo.
 */
export interface SettingSpec<T = unknown> {
  readonly env: string;
  readonly schema: z.ZodType<T>;
  readonly default: string | undefined;
  readonly doc: string;
}

const MS_PER_SECOND = 1000;
const MIB = 1024 * 1024;

function setting<T>(
  env: string,
  schema: z.ZodType<T>,
  defaultValue: string | undefined,
  doc: string,
): SettingSpec<T> {
  return { env, schema, default: defaultValue, doc };
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const hostPort = z
  .string()
  .regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port')
  .refine((s) => Number(s.split(':')[1]) <= 65535, 'port must be at most 65535');

const commaSeparated = z.string().transform((s) =>
  s
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const brokerList = commaSeparated.pipe(z.array(hostPort).min(1, 'at least one broker is required'));

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'expected a postgres:// or postgresql:// URL',
});

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((s) => s === 'true' || s === '1' || s === 'yes');

/** Readings per second or per burst; 0 switches the limit off. */
const rate = z.coerce.number().min(0).max(1e9);

const unicodeRegExp = z.string().transform((source, ctx) => {
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `not a valid regular expression: ${(error as Error).message}`,
    });
    return z.NEVER;
  }
});

// Kafka topic and group names: what a topic name may hold, so that the
// changelog topic derived from a group id is always valid.
const kafkaName = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'use letters, digits, . _ and -');

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const HOURS_PER_DAY = 24;

// Days of data a table keeps; 0 keeps everything.
const retentionDays = int(0, 100 * 365);

const sinkTopicRoles = ['readings', 'features', 'predictions', 'alerts'] as const;

const sinkTopicList = commaSeparated
  .pipe(
    z
      .array(z.enum(sinkTopicRoles, { error: `expected ${sinkTopicRoles.join(', ')}` }))
      .min(1, 'at least one topic is required'),
  )
  .transform((list) => [...new Set(list)]);

export const LOCAL_DATABASE_URL = 'postgres://smp:smp@127.0.0.1:55432/smp';

export const settings = {
  kafkaBrokers: setting(
    'KAFKA_BROKERS',
    brokerList,
    'localhost:9092',
    'Kafka bootstrap servers, comma-separated host:port.',
  ),
  schemaRegistryUrl: setting(
    'SCHEMA_REGISTRY_URL',
    httpUrl,
    'http://localhost:8081/apis/ccompat/v7',
    'Base URL of a Confluent-compatible schema registry API.',
  ),
  databaseUrl: setting(
    'DATABASE_URL',
    postgresUrl,
    LOCAL_DATABASE_URL,
    'PostgreSQL or TimescaleDB connection URL (the local stack listens on port 55432).',
  ),
  gatewayPort: setting('GATEWAY_PORT', int(0, 65535), '8080', 'HTTP port of the gateway.'),
  logLevel: setting(
    'LOG_LEVEL',
    logLevel,
    'info',
    'fatal, error, warn, info, debug, trace or silent.',
  ),
  kafkaClientId: setting(
    'SMP_KAFKA_CLIENT_ID',
    z.string().min(1).max(200),
    'smp',
    'Client id prefix sent to Kafka; each stage appends its own name.',
  ),
  kafkaConnectTimeoutMs: setting(
    'SMP_KAFKA_CONNECT_TIMEOUT_MS',
    int(100, 120 * MS_PER_SECOND),
    '3000',
    'Milliseconds to wait for a TCP connection to a broker.',
  ),
  kafkaRequestTimeoutMs: setting(
    'SMP_KAFKA_REQUEST_TIMEOUT_MS',
    int(100, 300 * MS_PER_SECOND),
    '30000',
    'Milliseconds to wait for a broker to answer a request.',
  ),
  kafkaSessionTimeoutMs: setting(
    'SMP_KAFKA_SESSION_TIMEOUT_MS',
    int(6000, 300 * MS_PER_SECOND),
    '30000',
    'Milliseconds without a heartbeat after which a consumer counts as dead and its partitions move.',
  ),
  schemaAutoRegister: setting(
    'SMP_SCHEMA_AUTO_REGISTER',
    bool,
    'true',
    'Register a missing schema on first use; when false, `smp schemas` must have run first.',
  ),
  topicPartitions: setting(
    'SMP_TOPIC_PARTITIONS',
    int(1, 10_000),
    '6',
    'Partitions of each contract topic created by `smp topics`.',
  ),
  topicReplicationFactor: setting(
    'SMP_TOPIC_REPLICATION_FACTOR',
    int(1, 32),
    '1',
    'Replication factor of topics created by `smp topics` (use 3 on a production cluster).',
  ),
  topicRetentionDays: setting(
    'SMP_TOPIC_RETENTION_DAYS',
    int(1, 3650),
    '7',
    'Retention of the data topics in days; the late and dead-letter topics keep 4x as long.',
  ),
  gatewayKeyCacheMs: setting(
    'SMP_GATEWAY_KEY_CACHE_MS',
    int(0, 10 * 60 * MS_PER_SECOND),
    '5000',
    'How long a gateway caches an API key lookup; a revoked key stops working within this time.',
  ),
  gatewayRequestTimeoutMs: setting(
    'SMP_GATEWAY_REQUEST_TIMEOUT_MS',
    int(1000, 10 * 60 * MS_PER_SECOND),
    '30000',
    'Milliseconds a client has to send a whole request, headers and body; a slower one gets 408.',
  ),
  gatewayHeadersTimeoutMs: setting(
    'SMP_GATEWAY_HEADERS_TIMEOUT_MS',
    int(1000, 10 * 60 * MS_PER_SECOND),
    '10000',
    'Milliseconds a client has to send the request headers; a slower client is cut off with 408.',
  ),
  gatewayMaxBodyBytes: setting(
    'SMP_GATEWAY_MAX_BODY_BYTES',
    int(1024, 256 * MIB),
    String(4 * MIB),
    'Largest request body in bytes after decompression (4 MiB); a larger one gets 413.',
  ),
  gatewayMaxBatchReadings: setting(
    'SMP_GATEWAY_MAX_BATCH_READINGS',
    int(1, 1_000_000),
    '5000',
    'Most readings in one request; a larger batch gets 413.',
  ),
  gatewayMaxMetrics: setting(
    'SMP_GATEWAY_MAX_METRICS',
    int(1, 10_000),
    '100',
    'Most metrics in one reading.',
  ),
  gatewayMaxAssetIdLength: setting(
    'SMP_GATEWAY_MAX_ASSET_ID_LENGTH',
    int(1, 1024),
    '128',
    'Longest asset id, in characters.',
  ),
  gatewayAssetIdPattern: setting(
    'SMP_GATEWAY_ASSET_ID_PATTERN',
    unicodeRegExp,
    String.raw`^[\p{L}\p{N}][\p{L}\p{N}._:@-]*$`,
    'Regular expression (Unicode mode) an asset id must match; ids must also be in Unicode NFC.',
  ),
  gatewayMaxTags: setting('SMP_GATEWAY_MAX_TAGS', int(0, 1000), '16', 'Most tags on one reading.'),
  gatewayMaxTagValueLength: setting(
    'SMP_GATEWAY_MAX_TAG_VALUE_LENGTH',
    int(1, 64 * 1024),
    '256',
    'Longest tag value, in characters (tag names, like metric names, have at most 64).',
  ),
  gatewayMaxClockSkewMs: setting(
    'SMP_GATEWAY_MAX_CLOCK_SKEW_MS',
    int(0, 7 * 24 * 60 * 60 * MS_PER_SECOND),
    String(5 * 60 * MS_PER_SECOND),
    "How far in the future (milliseconds, 5 min) a reading's ts may lie, for producers' clock skew.",
  ),
  gatewayMaxReadingAgeDays: setting(
    'SMP_GATEWAY_MAX_READING_AGE_DAYS',
    int(1, 100 * 365),
    '400',
    "How old a reading's ts may be, in days; the default admits backfills of the last year.",
  ),
  gatewayProduceTimeoutMs: setting(
    'SMP_GATEWAY_PRODUCE_TIMEOUT_MS',
    int(100, 10 * 60 * MS_PER_SECOND),
    '10000',
    'Milliseconds the gateway waits for Kafka to acknowledge a batch before answering 503.',
  ),
  gatewayMaxInFlightBytes: setting(
    'SMP_GATEWAY_MAX_IN_FLIGHT_BYTES',
    int(64 * 1024, 16 * 1024 * MIB),
    String(64 * MIB),
    'Encoded bytes (64 MiB) a gateway holds for Kafka at once; beyond it requests get 503 at once.',
  ),
  gatewayMaxReceivingBytes: setting(
    'SMP_GATEWAY_MAX_RECEIVING_BYTES',
    int(64 * 1024, 16 * 1024 * MIB),
    String(64 * MIB),
    'Request body bytes (64 MiB) a gateway receives and parses at once; beyond it requests get 503.',
  ),
  gatewayKeyRatePerSecond: setting(
    'SMP_GATEWAY_KEY_RATE_PER_S',
    rate,
    '10000',
    'Sustained readings per second per API key and gateway instance (0 = unlimited); keys may override.',
  ),
  gatewayKeyBurst: setting(
    'SMP_GATEWAY_KEY_BURST',
    rate,
    '100000',
    'Readings a key may send at once after being idle, for catch-up uploads; keys may override.',
  ),
  gatewayGlobalRatePerSecond: setting(
    'SMP_GATEWAY_GLOBAL_RATE_PER_S',
    rate,
    '100000',
    'Sustained readings per second across all keys, per gateway instance (0 = unlimited).',
  ),
  gatewayGlobalBurst: setting(
    'SMP_GATEWAY_GLOBAL_BURST',
    rate,
    '500000',
    'Readings all keys together may send at once, per gateway instance.',
  ),
  apiKey: setting(
    'SMP_API_KEY',
    z.string().min(1),
    undefined,
    'The API key client commands (`smp simulate`) send; `--api-key` overrides it.',
  ),
  databasePoolSize: setting(
    'SMP_DATABASE_POOL_SIZE',
    int(1, 200),
    '10',
    'Maximum PostgreSQL connections per process.',
  ),
  opsPort: setting(
    'SMP_OPS_PORT',
    int(0, 65535),
    '0',
    'Port on which a stage running alone serves /healthz, /readyz and /metrics; 0 = off.',
  ),
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
  pipelinesDir: setting(
    'SMP_PIPELINES_DIR',
    z.string().min(1),
    undefined,
    'Folder (or single file) of pipeline definitions (default: pipelines in the project folder).',
  ),
  featuresGroupId: setting(
    'SMP_FEATURES_GROUP_ID',
    kafkaName,
    'smp-features',
    'Consumer group of `smp features`; its state changelog topic is `<group>.changelog`.',
  ),
  featuresIdleSweepMs: setting(
    'SMP_FEATURES_IDLE_SWEEP_MS',
    int(10, 60 * MS_PER_SECOND),
    '1000',
    'How often the feature stage looks for assets past their idle timeout, in milliseconds.',
  ),
  featuresMaxFutureSkewMs: setting(
    'SMP_FEATURES_MAX_FUTURE_SKEW_MS',
    int(0, 365 * 24 * 3600 * MS_PER_SECOND),
    '3600000',
    'A reading stamped this many milliseconds after its Kafka timestamp is dead-lettered.',
  ),
  stackDir: setting(
    'SMP_STACK_DIR',
    z.string().min(1),
    undefined,
    'Where `smp stack` keeps data and logs (default: .stack in the project folder).',
  ),
} as const;

export type SettingKey = keyof typeof settings;

/**
 * Settings that were renamed: the loader answers the old name with the new one
 * instead of ignoring it.
 */
export const renamedSettings: Readonly<Record<string, string>> = {
  KAFKA_BROKER: 'KAFKA_BROKERS',
  SMP_DATABASE_URL: 'DATABASE_URL',
  SMP_LOG_LEVEL: 'LOG_LEVEL',
  SMP_GATEWAY_PORT: 'GATEWAY_PORT',
};
