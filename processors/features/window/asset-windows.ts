import type { RowBuffer } from './row-buffer';
import type { EmitWindow, WindowStrategy } from './window-strategy';

/**
 * The event-time state of one asset in one pipeline: its clock (highest
 * timestamp accepted), the rows its open windows need, and two marks left
 * by idle closes. Everything that decides what happens to a reading is a
 * function of these few numbers and the rows, which is what makes the
 * state cheap to checkpoint (see window-meta.ts).
 */
export interface AssetClock {
  /** Highest accepted timestamp; -Infinity before the first reading. */
  clock: number;
  /** Watermark reached by the last idle close: windows ending at or before it are closed. */
  floor: number;
  /** Readings at or before this were dropped by an idle close and start no window again. */
  cutoff: number;
}

export type AcceptOutcome =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'accepted' }
  | { readonly kind: 'late'; readonly kept: boolean; readonly watermark: number };

export class AssetWindows implements AssetClock {
  clock = -Infinity;
  floor = -Infinity;
  cutoff = -Infinity;
  /** Wall-clock time of the last accepted reading, for the idle timeout. */
  lastActivity: number;
  /**
   * Source offset up to which this state already includes the asset's
   * readings (restored from a checkpoint); earlier readings are replayed
   * silently to rebuild the rows.
   */
  through = -1;
  /** False when the checkpoint came from another definition of the pipeline. */
  replayRows = true;

  constructor(
    readonly assetId: string,
    readonly rows: RowBuffer,
    private readonly strategy: WindowStrategy,
    private readonly graceMs: number,
    now: number,
  ) {
    this.lastActivity = now;
  }

  watermark(): number {
    return Math.max(this.clock - this.graceMs, this.floor);
  }

  /**
   * Takes a live reading. Windows closed by the clock it advances are
   * passed to `emit` before their rows are evicted.
   */
  accept(
    ts: number,
    offset: number,
    metrics: Readonly<Record<string, number>>,
    names: readonly string[],
    now: number,
    emit: EmitWindow,
  ): AcceptOutcome {
    if (this.rows.has(ts)) return { kind: 'duplicate' };
    const w0 = this.watermark();
    const missed = ts <= this.cutoff || this.strategy.misses(ts, w0);
    const kept = ts > this.cutoff && this.strategy.retains(ts, w0);
    if (!kept) return { kind: 'late', kept, watermark: w0 };

    this.rows.insert(ts, offset, metrics, names);
    this.lastActivity = now;
    if (ts > this.clock) this.clock = ts;
    const w1 = this.watermark();
    if (w1 > w0) {
      this.strategy.closing(this.rows, w0, w1, emit);
      this.evict(w1);
    }
    return missed ? { kind: 'late', kept, watermark: w0 } : { kind: 'accepted' };
  }

  /**
   * Rebuilds a row from a replayed reading that this state already
   * includes: kept exactly when a live run would still hold it.
   */
  replay(
    ts: number,
    offset: number,
    metrics: Readonly<Record<string, number>>,
    names: readonly string[],
  ): void {
    if (!this.replayRows || ts <= this.cutoff) return;
    if (!this.strategy.retains(ts, this.watermark())) return;
    this.rows.insert(ts, offset, metrics, names);
  }

  /**
   * Closes every open window because the asset went quiet, and ends its
   * session: later readings start new windows, and readings for the closed
   * ones are late.
   */
  closeIdle(emit: EmitWindow): boolean {
    if (this.rows.length === 0) return false;
    const w = this.watermark();
    this.floor = this.strategy.closeAll(this.rows, w, emit);
    this.cutoff = Math.max(this.cutoff, this.clock);
    this.rows.clear();
    return true;
  }

  /** Whether the watermark is where an idle close left it rather than where the clock is. */
  closedByIdle(): boolean {
    return this.floor > this.clock - this.graceMs;
  }

  openWindows(): number {
    return this.strategy.openWindows(this.rows, this.watermark());
  }

  private evict(w: number): void {
    let n = 0;
    while (n < this.rows.length && !this.strategy.retains(this.rows.ts(n), w)) n++;
    if (n > 0) this.rows.dropFirst(n);
  }
}
