import { BinaryCopyBuffer } from '../../../lib/db';
import { copyInto, type CopyTarget } from '../copy-into';
import {
  firstProblem,
  keyProblem,
  numberMapProblem,
  stringMapProblem,
  timeProblem,
} from '../record-checks';
import type { ReadingRecord } from '../records';
import type { SinkTable } from './sink-table';

const values: CopyTarget = { table: 'readings', columns: ['asset_id', 'ts', 'metric', 'value'] };
const meta: CopyTarget = {
  table: 'reading_meta',
  columns: ['asset_id', 'ts', 'tags', 'received_at'],
};

/** A reading becomes one row per metric, and one row of tags and receive time. */
export const readingsTable: SinkTable<ReadingRecord> = {
  role: 'readings',
  partitioned: [values.table, meta.table],
  retention: 'readings',
  eventTime: (r) => r.ts,

  problem: (r) =>
    firstProblem(
      keyProblem('assetId', r.assetId),
      timeProblem('ts', r.ts),
      r.receivedAt === null ? undefined : timeProblem('receivedAt', r.receivedAt),
      numberMapProblem('metrics', r.metrics),
      stringMapProblem('tags', r.tags),
    ),

  async write(client, readings, mode) {
    const valueRows = new BinaryCopyBuffer();
    const metaRows = new BinaryCopyBuffer();
    for (const r of readings) {
      for (const metric in r.metrics) {
        valueRows.row(4).text(r.assetId).timestamptz(r.ts).text(metric).float8(r.metrics[metric]!);
      }
      metaRows.row(4).text(r.assetId).timestamptz(r.ts).jsonb(r.tags);
      if (r.receivedAt === null) metaRows.null();
      else metaRows.timestamptz(r.receivedAt);
    }
    return [
      await copyInto(client, values, valueRows.finish(), valueRows.rows, mode),
      await copyInto(client, meta, metaRows.finish(), metaRows.rows, mode),
    ];
  },
};
