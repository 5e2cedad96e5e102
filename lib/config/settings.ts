import { z } from 'zod';
import { featureSettings } from './feature-settings';
import { gatewaySettings } from './gateway-settings';
import { storageSettings } from './storage-settings';
import {
  MS_PER_SECOND,
  bool,
  brokerList,
  httpUrl,
  int,
  logLevel,
  postgresUrl,
  setting,
} from './setting-types';

export type { SettingSpec } from './setting-types';

/**
 * Every environment variable the project reads, in one table. The loader
 * validates them once at start; the README's configuration table is checked
 * against this list by a test, so a setting cannot go undocumented.
 *
 * Contract names (KAFKA_BROKERS, ...) are fixed by the architecture; every
 * other setting carries the SMP_ prefix so that an unknown SMP_ variable can
 * be reported as a probable typo.
 */
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
  stackDir: setting(
    'SMP_STACK_DIR',
    z.string().min(1),
    undefined,
    'Where `smp stack` keeps data and logs (default: .stack in the project folder).',
  ),
  ...gatewaySettings,
  ...storageSettings,
  ...featureSettings,
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
