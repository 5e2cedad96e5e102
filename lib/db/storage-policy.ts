import type { Config } from '../config';
import type { Storage } from './storage-choice';

/**
 * How long each table keeps its data and how it is chunked, taken from
 * configuration at every start rather than written into migrations, so
 * that changing a setting changes the database without a new migration.
 */
export interface StoragePolicy {
  readonly chunkHours: number;
  /** Plain PostgreSQL: partitions created ahead of now. */
  readonly partitionsAhead: number;
  /** TimescaleDB: 0 = no compression. */
  readonly compressionAfterDays: number;
  /** Days per table; 0 = keep everything. */
  readonly retentionDays: Readonly<Record<RetentionClass, number>>;
}

export type RetentionClass = 'readings' | 'readingsHourly' | 'features' | 'predictions' | 'alerts';

/** A table partitioned by time: a hypertable, or a range-partitioned table. */
export interface TimeTable {
  readonly name: string;
  readonly timeColumn: string;
  readonly retention: RetentionClass;
}

export const timeTables: readonly TimeTable[] = [
  { name: 'readings', timeColumn: 'ts', retention: 'readings' },
  { name: 'reading_meta', timeColumn: 'ts', retention: 'readings' },
  { name: 'feature_vectors', timeColumn: 'window_end', retention: 'features' },
  { name: 'predictions', timeColumn: 'window_end', retention: 'predictions' },
];

/** One line of the start-up report: what is in force for one table. */
export interface PolicyLine {
  readonly table: string;
  readonly retention: string;
  readonly compression: string;
  readonly chunks: string;
}

export interface StorageReport {
  readonly storage: Storage;
  readonly lines: readonly PolicyLine[];
  /** Settings that work against each other; the process runs, but says so. */
  readonly warnings: readonly string[];
}

export const DAY_MS = 24 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;

export function storagePolicyFrom(config: Config): StoragePolicy {
  return {
    chunkHours: config.storageChunkHours,
    partitionsAhead: config.storagePartitionsAhead,
    compressionAfterDays: config.compressionAfterDays,
    retentionDays: {
      readings: config.retentionReadingsDays,
      readingsHourly: config.retentionReadingsHourlyDays,
      features: config.retentionFeaturesDays,
      predictions: config.retentionPredictionsDays,
      alerts: config.retentionAlertsDays,
    },
  };
}

/** The instant before which a table's rows are dropped, or undefined to keep all. */
export function retentionHorizon(
  policy: StoragePolicy,
  retention: RetentionClass,
  now: number,
): number | undefined {
  const days = policy.retentionDays[retention];
  return days > 0 ? now - days * DAY_MS : undefined;
}

export function describeDays(days: number, none: string): string {
  if (days <= 0) return none;
  return days === 1 ? '1 day' : `${days} days`;
}

/** Settings that contradict each other, in words an operator can act on. */
export function policyWarnings(policy: StoragePolicy, storage: Storage): string[] {
  const warnings: string[] = [];
  const { retentionDays: r, compressionAfterDays: compression, chunkHours } = policy;
  for (const table of timeTables.filter((t) => t.name !== 'reading_meta')) {
    const name = table.retention;
    const days = r[name];
    if (days > 0 && days * 24 < chunkHours) {
      warnings.push(
        `${name} are kept ${describeDays(days, '')}, less than one chunk of ${chunkHours} h: ` +
          'data is dropped by whole chunks, so up to one chunk more is kept',
      );
    }
    if (storage === 'timescale' && compression > 0 && days > 0 && compression >= days) {
      warnings.push(
        `${name} are dropped after ${describeDays(days, '')}, before compression ` +
          `(after ${describeDays(compression, '')}) would start`,
      );
    }
  }
  const readingsOutliveHourly = r.readings === 0 || r.readings > r.readingsHourly;
  if (storage === 'timescale' && r.readingsHourly > 0 && readingsOutliveHourly) {
    warnings.push('hourly statistics are kept for less time than the readings they summarise');
  }
  return warnings;
}
