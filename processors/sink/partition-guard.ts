import type { Logger } from '../../lib/log';
import {
  ensurePartitions,
  listPartitions,
  withSession,
  type Pool,
  type Storage,
  type TimeRange,
} from '../../lib/db';

/**
 * Plain PostgreSQL refuses a row for which no partition exists, and the
 * maintenance only creates partitions around the present. Before a batch
 * is written, the guard makes sure every partition its rows need exists,
 * creating the missing ones in a short transaction of their own, so that
 * backfilled or replayed history is stored instead of refused. What it
 * knows is cached; the database is asked only about times not yet covered.
 */
export class PartitionGuard {
  private readonly known = new Map<string, TimeRange[]>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly storage: Storage,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  async cover(tables: readonly string[], times: readonly number[]): Promise<void> {
    if (this.storage !== 'plain' || tables.length === 0 || times.length === 0) return;
    const slots = this.uncoveredSlots(tables, times);
    if (slots.length === 0) return;
    // One writer at a time creates partitions; the others then find them.
    const run = this.queue.then(() => this.create(tables, slots));
    this.queue = run.catch(() => undefined);
    await run;
  }

  /** Forgets what it knew, after the database said a partition is missing. */
  forget(): void {
    this.known.clear();
  }

  private async create(tables: readonly string[], slots: readonly number[]): Promise<void> {
    await withSession(this.pool, async (session) => {
      await session.exec("SET lock_timeout = '10s'");
      try {
        for (const table of tables) {
          for (const from of slots) {
            const created = await ensurePartitions(
              session,
              table,
              { from, to: from + this.intervalMs },
              this.intervalMs,
            );
            if (created.length > 0) this.logger.info({ table, created }, 'partitions created');
          }
          this.known.set(table, await listPartitions(session, table));
        }
      } finally {
        await session.exec('RESET lock_timeout');
      }
    });
  }

  /** Grid slots holding a time that some table's known partitions do not cover. */
  private uncoveredSlots(tables: readonly string[], times: readonly number[]): number[] {
    const slots = new Set<number>();
    for (const table of tables) {
      const ranges = this.known.get(table) ?? [];
      for (const t of times) {
        if (!ranges.some((r) => r.from <= t && t < r.to)) {
          slots.add(Math.floor(t / this.intervalMs) * this.intervalMs);
        }
      }
    }
    return [...slots];
  }
}
