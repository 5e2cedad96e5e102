/**
 * One asset's readings for one pipeline, sorted by event time, in a single
 * Float64Array: each row is `[ts, offset, value_1 .. value_m]`, with NaN for
 * a metric the reading did not carry. One flat array per asset keeps the
 * memory per tracked asset small and the feature loops cache-friendly.
 *
 * Rows are usually appended (readings come in order); an out-of-order
 * reading shifts the rows after it. Evicted rows at the front are skipped
 * by `start` and compacted away when the array would otherwise grow.
 */
const INITIAL_ROWS = 4;

export class RowBuffer {
  private data: Float64Array;
  private start = 0;
  private end = 0;
  readonly stride: number;

  constructor(readonly width: number) {
    this.stride = width + 2;
    this.data = new Float64Array(INITIAL_ROWS * this.stride);
  }

  get length(): number {
    return this.end - this.start;
  }

  ts(i: number): number {
    return this.data[(this.start + i) * this.stride]!;
  }

  offset(i: number): number {
    return this.data[(this.start + i) * this.stride + 1]!;
  }

  value(i: number, metric: number): number {
    return this.data[(this.start + i) * this.stride + 2 + metric]!;
  }

  /** The index of the first row whose ts is at least `ts` (length if none). */
  lowerBound(ts: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts(mid) < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(ts: number): boolean {
    const i = this.lowerBound(ts);
    return i < this.length && this.ts(i) === ts;
  }

  /**
   * Adds a reading unless one with the same ts is already held; returns
   * whether it was added. Missing metrics become NaN.
   */
  insert(
    ts: number,
    offset: number,
    metrics: Readonly<Record<string, number>>,
    names: readonly string[],
  ): boolean {
    const last = this.length - 1;
    let at: number;
    if (last < 0 || this.ts(last) < ts) {
      at = this.length;
    } else {
      at = this.lowerBound(ts);
      if (this.ts(at) === ts) return false;
    }
    this.makeRoom();
    const base = this.start + at;
    if (at < this.length) {
      this.data.copyWithin((base + 1) * this.stride, base * this.stride, this.end * this.stride);
    }
    const row = base * this.stride;
    this.data[row] = ts;
    this.data[row + 1] = offset;
    for (let m = 0; m < names.length; m++) {
      const v = metrics[names[m]!];
      this.data[row + 2 + m] = v === undefined ? NaN : v;
    }
    this.end++;
    return true;
  }

  /** Drops the first `count` rows. */
  dropFirst(count: number): void {
    this.start += Math.min(count, this.length);
    if (this.start === this.end) this.start = this.end = 0;
  }

  clear(): void {
    this.start = this.end = 0;
    if (this.data.length > INITIAL_ROWS * this.stride) {
      this.data = new Float64Array(INITIAL_ROWS * this.stride);
    }
  }

  /** The smallest source offset among the rows, or undefined when empty. */
  minOffset(): number | undefined {
    let min: number | undefined;
    for (let i = 0; i < this.length; i++) {
      const o = this.offset(i);
      if (min === undefined || o < min) min = o;
    }
    return min;
  }

  /** Bytes held, for the memory figures of the benchmark. */
  get capacityBytes(): number {
    return this.data.byteLength;
  }

  private makeRoom(): void {
    const capacity = this.data.length / this.stride;
    if (this.end < capacity) return;
    if (this.start > 0 && this.length <= capacity / 2) {
      this.data.copyWithin(0, this.start * this.stride, this.end * this.stride);
      this.end -= this.start;
      this.start = 0;
      return;
    }
    const grown = new Float64Array(capacity * 2 * this.stride);
    grown.set(this.data.subarray(this.start * this.stride, this.end * this.stride));
    this.data = grown;
    this.end -= this.start;
    this.start = 0;
  }
}
