import type { RowBuffer } from './row-buffer';
import type { EmitWindow, WindowStrategy } from './window-strategy';

/**
 * Tumbling and hopping windows, aligned to the Unix epoch: window k covers
 * `[k * hop, k * hop + size)`. A reading exactly at a window's end belongs
 * to the next window. Tumbling windows have hop = size.
 */
export class AlignedWindows implements WindowStrategy {
  constructor(
    private readonly size: number,
    private readonly hop: number,
  ) {}

  retains(ts: number, w: number): boolean {
    return this.end(this.lastK(ts)) > w;
  }

  misses(ts: number, w: number): boolean {
    return this.end(this.firstK(ts)) <= w;
  }

  closing(rows: RowBuffer, w0: number, w1: number, emit: EmitWindow): void {
    let nextK = -Infinity;
    for (let i = 0; i < rows.length; i++) {
      const ts = rows.ts(i);
      // Rows are sorted, so once a row's earliest window ends after w1,
      // so do the windows of every row after it.
      if (this.end(this.firstK(ts)) > w1) break;
      const last = this.lastK(ts);
      for (let k = Math.max(this.firstK(ts), nextK); k <= last && this.end(k) <= w1; k++) {
        nextK = k + 1;
        if (this.end(k) > w0) this.emitWindow(rows, k, emit);
      }
    }
  }

  closeAll(rows: RowBuffer, w: number, emit: EmitWindow): number {
    if (rows.length === 0) return w;
    const lastEnd = this.end(this.lastK(rows.ts(rows.length - 1)));
    this.closing(rows, w, lastEnd, emit);
    return Math.max(w, lastEnd);
  }

  openWindows(rows: RowBuffer, w: number): number {
    let count = 0;
    this.closing(rows, w, Infinity, () => count++);
    return count;
  }

  private emitWindow(rows: RowBuffer, k: number, emit: EmitWindow): void {
    const start = k * this.hop;
    const end = start + this.size;
    emit(start, end, rows.lowerBound(start), rows.lowerBound(end));
  }

  /** The earliest window holding ts: the smallest k with k * hop + size > ts. */
  private firstK(ts: number): number {
    return Math.floor((ts - this.size) / this.hop) + 1;
  }

  /** The latest window holding ts: the largest k with k * hop <= ts. */
  private lastK(ts: number): number {
    return Math.floor(ts / this.hop);
  }

  private end(k: number): number {
    return k * this.hop + this.size;
  }
}
