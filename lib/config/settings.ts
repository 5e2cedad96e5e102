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

const brokerList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .pipe(z.array(hostPort).min(1, 'at least one broker is required'));

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'expected a postgres:// or postgresql:// URL',
});

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((s) => s === 'true' || s === '1' || s === 'yes');

// Kafka topic and group names: what a topic name may hold, so that the
// changelog topic derived from a group id is always valid.
const kafkaName = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'use letters, digits, . _ and -');

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

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
    'Milliseconds a client has to send a whole request; headers must arrive within 10 s.',
  ),
  databasePoolSize: setting(
    'SMP_DATABASE_POOL_SIZE',
    int(1, 200),
    '10',
    'Maximum PostgreSQL connections per process.',
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
  featuresOpsPort: setting(
    'SMP_FEATURES_OPS_PORT',
    int(0, 65535),
    '9101',
    'Port of /healthz, /readyz and /metrics of `smp features` running alone (0 picks a free port).',
  ),
  featuresSessionTimeoutMs: setting(
    'SMP_FEATURES_SESSION_TIMEOUT_MS',
    int(6000, 300 * MS_PER_SECOND),
    '30000',
    "Milliseconds after which the group gives a silent feature process's partitions to another.",
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
