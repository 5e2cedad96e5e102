import type { WindowSpec } from '../../../pipelines';
import { AlignedWindows } from './aligned-windows';
import type { RowBuffer } from './row-buffer';
import { SlidingWindows } from './sliding-windows';

/**
 * What distinguishes the window types, as functions of an asset's
 * watermark `w` (its clock minus the grace period, or the point an idle
 * close reached). A window is closed once the watermark reaches its end.
 *
 * The engine relies on two properties: `retains` is monotonic in `ts`
 * (rows are evicted from the front), and whether a row is retained depends
 * only on its ts and the current watermark, never on when it arrived. The
 * second one is what lets a restart rebuild the rows by replaying the
 * topic: the rows an asset holds are exactly the readings the replay
 * retains under the restored watermark.
 */
export interface WindowStrategy {
  /** Whether a reading at `ts` can still count in a window that is open at `w`. */
  retains(ts: number, w: number): boolean;
  /** Whether a reading at `ts` belongs to at least one window already closed at `w`. */
  misses(ts: number, w: number): boolean;
  /**
   * Calls `emit` for every window holding rows whose end is in `(w0, w1]`,
   * in order of window start, with the index range of its rows.
   */
  closing(rows: RowBuffer, w0: number, w1: number, emit: EmitWindow): void;
  /**
   * Emits every window that holds rows and is still open at `w`, for an
   * idle close; returns the watermark that closes them all.
   */
  closeAll(rows: RowBuffer, w: number, emit: EmitWindow): number;
  /** Windows that hold rows and are open at `w`, for the open-windows gauge. */
  openWindows(rows: RowBuffer, w: number): number;
}

export type EmitWindow = (start: number, end: number, from: number, to: number) => void;

export function windowStrategy(spec: WindowSpec): WindowStrategy {
  return spec.type === 'sliding'
    ? new SlidingWindows(spec.sizeMs)
    : new AlignedWindows(spec.sizeMs, spec.hopMs);
}
