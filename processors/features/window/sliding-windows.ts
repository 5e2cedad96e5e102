import type { RowBuffer } from './row-buffer';
import type { EmitWindow, WindowStrategy } from './window-strategy';

/**
 * A window per reading, covering the `size` of event time up to and
 * including it: `(t - size, t]`, reported as `[t - size + 1, t + 1)` in
 * milliseconds so that every window has the same inclusive-start,
 * exclusive-end bounds. Each reading's window closes once the watermark
 * reaches the reading, so with no grace period it is emitted at once.
 */
export class SlidingWindows implements WindowStrategy {
  constructor(private readonly size: number) {}

  retains(ts: number, w: number): boolean {
    return ts > w - this.size;
  }

  misses(ts: number, w: number): boolean {
    return ts <= w;
  }

  closing(rows: RowBuffer, w0: number, w1: number, emit: EmitWindow): void {
    for (let i = rows.lowerBound(w0 + 1); i < rows.length; i++) {
      const t = rows.ts(i);
      if (t > w1) break;
      const start = t - this.size + 1;
      emit(start, t + 1, rows.lowerBound(start), i + 1);
    }
  }

  closeAll(rows: RowBuffer, w: number, emit: EmitWindow): number {
    if (rows.length === 0) return w;
    const clock = rows.ts(rows.length - 1);
    this.closing(rows, w, clock, emit);
    return Math.max(w, clock);
  }

  openWindows(rows: RowBuffer, w: number): number {
    return rows.length - rows.lowerBound(w + 1);
  }
}
