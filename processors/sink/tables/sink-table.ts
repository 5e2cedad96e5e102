import type { PoolClient } from 'pg';
import type { RetentionClass } from '../../../lib/db/storage-policy';
import type { TopicRole } from '../../../lib/kafka/topics';
import type { CopyMode, CopyOutcome } from '../copy-into';

/** The topics the sink stores. */
export type SinkRole = Extract<TopicRole, 'readings' | 'features' | 'predictions' | 'alerts'>;

/**
 * How one topic's records become rows. The processor around it decodes,
 * checks times against retention and the clock, batches, retries and
 * dead-letters; a table only knows its columns and its own rules.
 */
export interface SinkTable<T> {
  readonly role: SinkRole;
  /** Tables range-partitioned by `eventTime`, which need a partition before a write. */
  readonly partitioned: readonly string[];
  /** Whose retention applies: records older than it are not written. */
  readonly retention: RetentionClass | undefined;
  eventTime(record: T): number;
  /** Why the record can never be written, or undefined. */
  problem(record: T): string | undefined;
  /** Writes the records inside the caller's open transaction. */
  write(client: PoolClient, records: readonly T[], mode: CopyMode): Promise<CopyOutcome[]>;
}
