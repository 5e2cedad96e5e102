import { BinaryCopyBuffer } from '../../../lib/db';
import { copyInto, type CopyTarget } from '../copy-into';
import { firstProblem, keyProblem, numberMapProblem, timeProblem } from '../record-checks';
import type { PredictionRecord } from '../records';
import type { SinkTable } from './sink-table';

const target: CopyTarget = {
  table: 'predictions',
  columns: [
    'asset_id',
    'pipeline',
    'model',
    'model_version',
    'window_start',
    'window_end',
    'outputs',
    'predicted_at',
  ],
};

export const predictionsTable: SinkTable<PredictionRecord> = {
  role: 'predictions',
  partitioned: [target.table],
  retention: 'predictions',
  eventTime: (p) => p.windowEnd,

  problem: (p) =>
    firstProblem(
      keyProblem('assetId', p.assetId),
      keyProblem('pipeline', p.pipeline),
      keyProblem('model', p.model),
      keyProblem('modelVersion', p.modelVersion),
      timeProblem('windowStart', p.windowStart),
      timeProblem('windowEnd', p.windowEnd),
      timeProblem('predictedAt', p.predictedAt),
      numberMapProblem('outputs', p.outputs),
    ),

  async write(client, predictions, mode) {
    const rows = new BinaryCopyBuffer();
    for (const p of predictions) {
      rows
        .row(8)
        .text(p.assetId)
        .text(p.pipeline)
        .text(p.model)
        .text(p.modelVersion)
        .timestamptz(p.windowStart)
        .timestamptz(p.windowEnd)
        .jsonb(p.outputs)
        .timestamptz(p.predictedAt);
    }
    return [await copyInto(client, target, rows.finish(), rows.rows, mode)];
  },
};
