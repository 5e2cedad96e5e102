import { RateLimiter, keyPolicy } from '../../../../gateway/ingest/rate-limiter';
import { TokenBucket } from '../../../../gateway/ingest/token-bucket';

describe('a token bucket', () => {
  it('starts full, empties as tokens are taken and refills at its rate', () => {
    const bucket = new TokenBucket(10, 100, 0);
    expect(bucket.available(0)).toBe(100);
    bucket.take(100, 0);
    expect(bucket.available(0)).toBe(0);
    expect(bucket.available(1_000)).toBe(10);
    expect(bucket.available(60_000)).toBe(100);
  });

  it('says how long until enough tokens are there, and never for more than it holds', () => {
    const bucket = new TokenBucket(10, 100, 0);
    bucket.take(100, 0);
    expect(bucket.waitMs(5, 0)).toBe(500);
    expect(bucket.waitMs(101, 0)).toBe(Infinity);
    expect(bucket.msUntilFull(0)).toBe(10_000);
  });

  it('takes back tokens given for work that did not happen, up to its capacity', () => {
    const bucket = new TokenBucket(10, 100, 0);
    bucket.take(60, 0);
    bucket.give(60, 0);
    bucket.give(60, 0);
    expect(bucket.available(0)).toBe(100);
  });
});

describe('the rate limiter', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('admits a batch only when both the key and the global bucket hold enough', () => {
    const limiter = new RateLimiter(
      { ratePerSecond: 10, burst: 50 },
      { ratePerSecond: 100, burst: 80 },
      clock,
    );
    const first = limiter.admit('a', undefined, 50);
    expect(first).toMatchObject({ admitted: true, state: { scope: 'key', remaining: 0 } });

    const refused = limiter.admit('a', undefined, 1);
    expect(refused).toMatchObject({ admitted: false, reason: 'rate', retryAfterSeconds: 1 });
    expect(refused.admitted === false && refused.state.scope).toBe('key');

    const global = limiter.admit('b', undefined, 40);
    expect(global).toMatchObject({ admitted: false, reason: 'rate' });
    expect(global.admitted === false && global.state.scope).toBe('global');
    // A refused batch takes nothing from either bucket.
    expect(limiter.admit('b', undefined, 30)).toMatchObject({ admitted: true });
  });

  it('answers a batch larger than a burst as one that can never pass', () => {
    const limiter = new RateLimiter(
      { ratePerSecond: 10, burst: 50 },
      { ratePerSecond: 0, burst: 0 },
      clock,
    );
    expect(limiter.admit('a', undefined, 51)).toMatchObject({ admitted: false, reason: 'burst' });
  });

  it('waits as long as the missing tokens take to earn', () => {
    const limiter = new RateLimiter(
      { ratePerSecond: 10, burst: 50 },
      { ratePerSecond: 0, burst: 0 },
      clock,
    );
    limiter.admit('a', undefined, 50);
    expect(limiter.admit('a', undefined, 35)).toMatchObject({ retryAfterSeconds: 4 });
    now += 3_500;
    expect(limiter.admit('a', undefined, 35)).toMatchObject({ admitted: true });
  });

  it('gives tokens back when the batch was refused for a reason of the gateway', () => {
    const limiter = new RateLimiter(
      { ratePerSecond: 10, burst: 50 },
      { ratePerSecond: 0, burst: 0 },
      clock,
    );
    const admission = limiter.admit('a', undefined, 50);
    if (!admission.admitted) throw new Error('expected admission');
    admission.release();
    expect(limiter.admit('a', undefined, 50)).toMatchObject({ admitted: true });
  });

  it('keeps no bucket at all for an unlimited key or global limit', () => {
    const limiter = new RateLimiter(
      { ratePerSecond: 0, burst: 0 },
      { ratePerSecond: 0, burst: 0 },
      clock,
    );
    const admission = limiter.admit('a', undefined, 1_000_000);
    expect(admission).toMatchObject({ admitted: true });
    expect(admission.state).toBeUndefined();
  });

  it("uses a key's own limits, keeping the default seconds of catch-up when only a rate is set", () => {
    const defaults = { ratePerSecond: 100, burst: 1_000 };
    expect(keyPolicy(defaults, undefined)).toBe(defaults);
    expect(keyPolicy(defaults, { readingsPerSecond: 5 })).toEqual({ ratePerSecond: 5, burst: 50 });
    expect(keyPolicy(defaults, { burst: 7 })).toEqual({ ratePerSecond: 100, burst: 7 });
    expect(keyPolicy(defaults, { readingsPerSecond: 5, burst: 9 })).toEqual({
      ratePerSecond: 5,
      burst: 9,
    });

    const limiter = new RateLimiter(defaults, { ratePerSecond: 0, burst: 0 }, clock);
    expect(limiter.admit('slow', { readingsPerSecond: 1, burst: 2 }, 3)).toMatchObject({
      reason: 'burst',
    });
    expect(limiter.admit('other', undefined, 3)).toMatchObject({ admitted: true });
  });
});
