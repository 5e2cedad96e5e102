export { createPool, type Pool, type PoolClient, type PoolOptions } from './pool';
export {
  migrate,
  loadMigrations,
  type Migration,
  type MigrationResult,
  type SqlSession,
} from './migrate';
export { withSession } from './pg-session';
