import { createHash } from 'node:crypto';
import type { PipelineDefinition } from '../../../pipelines';
import type { AssetWindows } from './asset-windows';

/**
 * The checkpoint of one asset in one pipeline: everything about its state
 * except the rows, which a restart rebuilds by replaying the input topic
 * from `rowsFrom`. About a hundred bytes, written for the assets that
 * changed since the previous checkpoint.
 */
export interface WindowMeta {
  readonly pipeline: string;
  readonly assetId: string;
  /** Which definition of the pipeline produced it (window and features). */
  readonly fingerprint: string;
  /** The state includes every reading of its partition before this offset. */
  readonly through: number;
  readonly clock: number | null;
  readonly floor: number | null;
  readonly cutoff: number | null;
  /** Smallest source offset among the rows, or null when it holds none. */
  readonly rowsFrom: number | null;
}

export function metaOf(
  pipeline: string,
  fingerprint: string,
  state: AssetWindows,
  through: number,
): WindowMeta {
  return {
    pipeline,
    assetId: state.assetId,
    fingerprint,
    through,
    clock: finite(state.clock),
    floor: finite(state.floor),
    cutoff: finite(state.cutoff),
    rowsFrom: state.rows.minOffset() ?? null,
  };
}

/** Copies a checkpoint into a fresh state; returns false when the definition changed. */
export function applyMeta(state: AssetWindows, meta: WindowMeta, fingerprint: string): boolean {
  state.through = meta.through;
  if (meta.fingerprint !== fingerprint) {
    state.replayRows = false;
    return false;
  }
  state.clock = meta.clock ?? -Infinity;
  state.floor = meta.floor ?? -Infinity;
  state.cutoff = meta.cutoff ?? -Infinity;
  return true;
}

/**
 * Only the window's type, size, hop and grace give the checkpointed numbers
 * their meaning. Features, metrics, the idle timeout, the model and the
 * alerts may change freely: rows are rebuilt from the topic with the new
 * metric layout anyway.
 */
export function pipelineFingerprint(pipeline: PipelineDefinition): string {
  const { type, sizeMs, hopMs, graceMs } = pipeline.window;
  const text = JSON.stringify({ type, sizeMs, hopMs, graceMs });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}
