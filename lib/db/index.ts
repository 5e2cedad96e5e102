export { createPool, type Pool, type PoolClient, type PoolOptions } from './pool';
export {
  migrate,
  loadMigrations,
  type Migration,
  type MigrateOptions,
  type MigrationResult,
  type SqlSession,
} from './migrate';
export { withSession } from './pg-session';
export { withClient } from './checkout';
export { type Storage, type StoragePreference } from './storage-choice';
export {
  storagePolicyFrom,
  retentionHorizon,
  timeTables,
  HOUR_MS,
  DAY_MS,
  type StoragePolicy,
  type StorageReport,
  type PolicyLine,
  type TimeTable,
} from './storage-policy';
export {
  prepareDatabase,
  applyStoragePolicy,
  maintainStorage,
  type PreparedDatabase,
  type MaintenanceResult,
} from './storage-maintenance';
export { ensurePartitions, listPartitions, type TimeRange } from './partitions';
export { classifyDatabaseError, sqlState, type DatabaseFailure } from './pg-errors';
export { BinaryCopyBuffer } from './binary-copy';
