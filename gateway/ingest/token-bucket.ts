/**
 * A token bucket: `capacity` tokens at most, refilled at `ratePerSecond`.
 * Time comes from the caller, so the arithmetic is testable without waiting.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /** Milliseconds until `count` tokens are there; Infinity if they never can be. */
  waitMs(count: number, now: number): number {
    if (count > this.capacity) return Infinity;
    const missing = count - this.available(now);
    return missing <= 0 ? 0 : (missing / this.ratePerSecond) * 1000;
  }

  /** Milliseconds until the bucket is full again. */
  msUntilFull(now: number): number {
    return ((this.capacity - this.available(now)) / this.ratePerSecond) * 1000;
  }

  take(count: number, now: number): void {
    this.refill(now);
    this.tokens -= count;
  }

  /** Returns tokens taken for work that did not happen. */
  give(count: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.capacity, this.tokens + count);
  }

  isFull(now: number): boolean {
    return this.available(now) >= this.capacity;
  }

  private refill(now: number): void {
    if (now <= this.updatedAt) return;
    const earned = ((now - this.updatedAt) / 1000) * this.ratePerSecond;
    this.tokens = Math.min(this.capacity, this.tokens + earned);
    this.updatedAt = now;
  }
}
