import type { PipelineDefinition } from '../../../pipelines';
import type { ClosedWindow } from '../window/types';

/**
 * Offline output: the content of each FeatureVector without the wall-clock
 * `emittedAt`, so that two runs over the same input write the same bytes.
 * NDJSON keeps the record's shape (times in epoch milliseconds); CSV has
 * one column per feature of the pipeline, empty where a metric was missing,
 * which is what training code reads most easily.
 */
export interface VectorWriter {
  header(): string | undefined;
  line(window: ClosedWindow): string;
}

export function ndjsonWriter(): VectorWriter {
  return {
    header: () => undefined,
    line: (w) =>
      JSON.stringify({
        assetId: w.assetId,
        pipeline: w.pipeline,
        windowStart: w.windowStart,
        windowEnd: w.windowEnd,
        recordCount: w.recordCount,
        closeReason: w.closeReason,
        missingMetrics: w.missingMetrics,
        features: w.features,
      }),
  };
}

const FIXED_COLUMNS = [
  'assetId',
  'pipeline',
  'windowStart',
  'windowEnd',
  'recordCount',
  'closeReason',
  'missingMetrics',
];

export function csvWriter(pipeline: PipelineDefinition): VectorWriter {
  const keys = pipeline.features.map((f) => f.key);
  return {
    header: () => [...FIXED_COLUMNS, ...keys].join(','),
    line: (w) =>
      [
        csvCell(w.assetId),
        w.pipeline,
        w.windowStart,
        w.windowEnd,
        w.recordCount,
        w.closeReason,
        csvCell(w.missingMetrics.join(';')),
        ...keys.map((k) => (k in w.features ? String(w.features[k]) : '')),
      ].join(','),
  };
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
