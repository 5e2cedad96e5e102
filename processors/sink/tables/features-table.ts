import { BinaryCopyBuffer } from '../../../lib/db';
import { copyInto, type CopyTarget } from '../copy-into';
import {
  firstProblem,
  keyProblem,
  numberMapProblem,
  textProblem,
  timeProblem,
} from '../record-checks';
import type { FeatureVectorRecord } from '../records';
import type { SinkTable } from './sink-table';

const target: CopyTarget = {
  table: 'feature_vectors',
  columns: [
    'asset_id',
    'pipeline',
    'window_start',
    'window_end',
    'record_count',
    'features',
    'missing_metrics',
    'close_reason',
    'emitted_at',
  ],
};

export const featuresTable: SinkTable<FeatureVectorRecord> = {
  role: 'features',
  partitioned: [target.table],
  retention: 'features',
  eventTime: (f) => f.windowEnd,

  problem: (f) =>
    firstProblem(
      keyProblem('assetId', f.assetId),
      keyProblem('pipeline', f.pipeline),
      timeProblem('windowStart', f.windowStart),
      timeProblem('windowEnd', f.windowEnd),
      timeProblem('emittedAt', f.emittedAt),
      numberMapProblem('features', f.features),
      ...f.missingMetrics.map((m) => textProblem('missingMetrics', m)),
    ),

  async write(client, vectors, mode) {
    const rows = new BinaryCopyBuffer();
    for (const f of vectors) {
      rows
        .row(9)
        .text(f.assetId)
        .text(f.pipeline)
        .timestamptz(f.windowStart)
        .timestamptz(f.windowEnd)
        .int4(f.recordCount)
        .jsonb(f.features)
        .textArray(f.missingMetrics)
        .text(f.closeReason)
        .timestamptz(f.emittedAt);
    }
    return [await copyInto(client, target, rows.finish(), rows.rows, mode)];
  },
};
