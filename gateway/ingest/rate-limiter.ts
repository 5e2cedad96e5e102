import type { KeyRateLimit } from '../auth/api-key-store';
import { TokenBucket } from './token-bucket';

/** Readings per second and burst; a rate of 0 means no limit. */
export interface RatePolicy {
  readonly ratePerSecond: number;
  readonly burst: number;
}

export type LimitScope = 'key' | 'global';

/** The state of one bucket, as the RateLimit-* response headers tell it. */
export interface LimitState {
  readonly scope: LimitScope;
  readonly limit: number;
  readonly remaining: number;
  readonly resetSeconds: number;
}

export type Admission =
  | { readonly admitted: true; readonly state?: LimitState; release(): void }
  | {
      readonly admitted: false;
      /** `burst`: the batch is larger than the bucket can ever hold. */
      readonly reason: 'rate' | 'burst';
      readonly state: LimitState;
      readonly retryAfterSeconds: number;
    };

interface KeyBucket {
  readonly bucket: TokenBucket;
  readonly policy: RatePolicy;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * Per-key and global token buckets counting readings. A batch passes only
 * if both buckets hold enough tokens, and then takes from both; a refused
 * batch takes nothing. The buckets live in this process: with several
 * gateway instances each enforces the limits on its own share of traffic.
 */
export class RateLimiter {
  private readonly keys = new Map<string, KeyBucket>();
  private readonly global: TokenBucket | undefined;
  private lastSweep: number;

  constructor(
    private readonly keyDefaults: RatePolicy,
    globalPolicy: RatePolicy,
    private readonly clock: () => number = Date.now,
  ) {
    const now = clock();
    this.global = bucketFor(globalPolicy, now);
    this.lastSweep = now;
  }

  admit(keyId: string, override: KeyRateLimit | undefined, readings: number): Admission {
    const now = this.clock();
    this.sweep(now);
    const key = this.keyBucket(keyId, keyPolicy(this.keyDefaults, override), now);

    for (const [scope, bucket] of [
      ['key', key],
      ['global', this.global],
    ] as const) {
      if (!bucket) continue;
      const waitMs = bucket.waitMs(readings, now);
      if (waitMs > 0) {
        return {
          admitted: false,
          reason: waitMs === Infinity ? 'burst' : 'rate',
          state: stateOf(scope, bucket, now),
          retryAfterSeconds: waitMs === Infinity ? 0 : Math.max(1, Math.ceil(waitMs / 1000)),
        };
      }
    }

    key?.take(readings, now);
    this.global?.take(readings, now);
    const shown = key
      ? stateOf('key', key, now)
      : this.global && stateOf('global', this.global, now);
    return {
      admitted: true,
      ...(shown ? { state: shown } : {}),
      release: () => {
        const later = this.clock();
        key?.give(readings, later);
        this.global?.give(readings, later);
      },
    };
  }

  private keyBucket(id: string, policy: RatePolicy, now: number): TokenBucket | undefined {
    if (policy.ratePerSecond === 0) return undefined;
    const entry = this.keys.get(id);
    if (
      entry &&
      entry.policy.ratePerSecond === policy.ratePerSecond &&
      entry.policy.burst === policy.burst
    ) {
      return entry.bucket;
    }
    const bucket = bucketFor(policy, now)!;
    this.keys.set(id, { bucket, policy });
    return bucket;
  }

  // A full bucket is the same as a new one, so idle keys cost no memory.
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [id, entry] of this.keys) if (entry.bucket.isFull(now)) this.keys.delete(id);
  }
}

/**
 * A key's own limits. A key that sets only a rate keeps the default
 * burst-to-rate ratio (the same seconds of catch-up); one that sets only a
 * burst keeps the default rate.
 */
export function keyPolicy(defaults: RatePolicy, override: KeyRateLimit | undefined): RatePolicy {
  const rate = override?.readingsPerSecond;
  const burst = override?.burst;
  if (rate === undefined && burst === undefined) return defaults;
  const ratePerSecond = rate ?? defaults.ratePerSecond;
  const catchUpSeconds = defaults.ratePerSecond > 0 ? defaults.burst / defaults.ratePerSecond : 10;
  return { ratePerSecond, burst: burst ?? Math.max(1, Math.round(ratePerSecond * catchUpSeconds)) };
}

function bucketFor(policy: RatePolicy, now: number): TokenBucket | undefined {
  if (policy.ratePerSecond === 0) return undefined;
  return new TokenBucket(policy.ratePerSecond, policy.burst, now);
}

function stateOf(scope: LimitScope, bucket: TokenBucket, now: number): LimitState {
  return {
    scope,
    limit: bucket.capacity,
    remaining: Math.max(0, Math.floor(bucket.available(now))),
    resetSeconds: Math.ceil(bucket.msUntilFull(now) / 1000),
  };
}
