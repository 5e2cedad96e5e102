import type { IngestLimits } from '../../../../gateway/ingest/limits';
import { validateReadings } from '../../../../gateway/ingest/validate-readings';

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 3, 12, 0, 0);
const limits: IngestLimits = {
  maxBodyBytes: 1 << 20,
  maxBatchReadings: 100,
  maxMetrics: 3,
  maxAssetIdLength: 12,
  assetIdPattern: /^[\p{L}\p{N}][\p{L}\p{N}._:@-]*$/u,
  maxTags: 2,
  maxTagValueLength: 8,
  maxClockSkewMs: 60_000,
  maxAgeMs: 10 * DAY,
};
const clock = { now, receivedAt: now + 1 };

const good = (overrides: Record<string, unknown> = {}) => ({
  assetId: 'pump-7',
  ts: '2026-12-03T10:00:00.000Z',
  metrics: { temp: 71.2, vib_rms: 0.31 },
  tags: { site: 'a' },
  ...overrides,
});

function problemsOf(item: unknown) {
  const result = validateReadings([item], limits, clock);
  expect(result.readings).toEqual([]);
  return result.problems.map(({ path, message }) => ({ path, message }));
}

describe('batch validation', () => {
  it('normalises valid readings and stamps them with the time they were received', () => {
    const result = validateReadings(
      [good(), good({ assetId: 'pump-8', ts: Date.UTC(2026, 11, 3, 11), tags: undefined })],
      limits,
      clock,
    );
    expect(result.problems).toEqual([]);
    expect(result.readings).toEqual([
      {
        assetId: 'pump-7',
        ts: Date.UTC(2026, 11, 3, 10),
        metrics: { temp: 71.2, vib_rms: 0.31 },
        tags: { site: 'a' },
        receivedAt: now + 1,
      },
      {
        assetId: 'pump-8',
        ts: Date.UTC(2026, 11, 3, 11),
        metrics: { temp: 71.2, vib_rms: 0.31 },
        tags: {},
        receivedAt: now + 1,
      },
    ]);
  });

  it('rejects the whole batch for one bad reading and names its index and path', () => {
    const result = validateReadings(
      [good(), good({ assetId: 'pump-8', metrics: { temp: 'hot' } }), good({ assetId: 'x' })],
      limits,
      clock,
    );
    expect(result.readings).toEqual([]);
    expect(result.invalidReadings).toBe(1);
    expect(result.problems).toEqual([
      { index: 1, path: 'metrics.temp', message: 'must be a number, not the string "hot"' },
    ]);
  });

  it('names missing fields and wrong types', () => {
    expect(problemsOf({})).toEqual([
      { path: 'assetId', message: 'is required' },
      { path: 'ts', message: 'is required' },
      { path: 'metrics', message: 'is required: an object of metric name to number' },
    ]);
    expect(problemsOf([1, 2])).toEqual([{ path: '', message: 'must be an object, not an array' }]);
    expect(problemsOf(null)).toEqual([{ path: '', message: 'must be an object, not null' }]);
    expect(problemsOf(good({ assetId: 7 }))).toEqual([
      { path: 'assetId', message: 'must be a string, not number 7' },
    ]);
    expect(problemsOf(good({ metrics: [1] }))).toEqual([
      { path: 'metrics', message: 'must be an object of metric name to number, not an array' },
    ]);
    expect(problemsOf(good({ tags: 'a' }))).toEqual([
      { path: 'tags', message: 'must be an object of tag name to string, not the string "a"' },
    ]);
  });

  it('refuses unknown fields, which are usually misplaced metrics', () => {
    expect(problemsOf(good({ temperature: 3 }))).toEqual([
      { path: 'temperature', message: 'is not a field of a reading (assetId, ts, metrics, tags)' },
    ]);
    expect(problemsOf(good({ receivedAt: 3 }))[0]?.path).toBe('receivedAt');
  });

  it('accepts only finite numbers as metric values', () => {
    expect(problemsOf(good({ metrics: { a: Infinity, b: -Infinity, c: NaN } }))).toEqual([
      { path: 'metrics.a', message: 'must be a finite number' },
      { path: 'metrics.b', message: 'must be a finite number' },
      { path: 'metrics.c', message: 'must be a finite number' },
    ]);
    expect(problemsOf(good({ metrics: { a: null } }))).toEqual([
      { path: 'metrics.a', message: 'must be a number, not null; omit a metric that has no value' },
    ]);
    expect(problemsOf(good({ metrics: { a: true } }))[0]?.message).toBe(
      'must be a number, not boolean true',
    );
  });

  it('limits metric count and names, tag count, names and sizes', () => {
    expect(problemsOf(good({ metrics: {} }))).toEqual([
      { path: 'metrics', message: 'must hold at least one metric' },
    ]);
    expect(problemsOf(good({ metrics: { a: 1, b: 2, c: 3, d: 4 } }))).toEqual([
      { path: 'metrics', message: 'holds 4 metrics; at most 3 are accepted' },
    ]);
    expect(
      problemsOf(good({ metrics: { 'vib rms': 1, __proto__x: 2 } })).map((p) => p.path),
    ).toEqual(['metrics["vib rms"]', 'metrics.__proto__x']);
    expect(problemsOf(good({ metrics: { ['x'.repeat(65)]: 1 } }))[0]?.message).toMatch(
      /at most 64/,
    );
    expect(problemsOf(good({ tags: { a: '1', b: '2', c: '3' } }))).toEqual([
      { path: 'tags', message: 'holds 3 tags; at most 2 are accepted' },
    ]);
    expect(problemsOf(good({ tags: { site: 'x'.repeat(9) } }))).toEqual([
      { path: 'tags.site', message: 'holds 9 characters; at most 8 are accepted' },
    ]);
    expect(problemsOf(good({ tags: { site: 3 } }))).toEqual([
      { path: 'tags.site', message: 'must be a string, not number 3' },
    ]);
  });

  it('keeps JSON keys that name Object internals from reaching the prototype', () => {
    const item = JSON.parse(
      '{"assetId":"a","ts":0,"metrics":{"__proto__":1},"tags":{"constructor":"x"}}',
    );
    const paths = validateReadings([item], limits, clock).problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['metrics.__proto__']));
  });

  it('checks asset ids for length, characters and Unicode normal form', () => {
    expect(problemsOf(good({ assetId: '' }))[0]?.message).toBe(
      'must hold 1 to 12 characters, not 0',
    );
    expect(problemsOf(good({ assetId: 'x'.repeat(13) }))[0]?.message).toMatch(/not 13/);
    expect(problemsOf(good({ assetId: 'pump 7' }))[0]?.message).toMatch(/does not match/);
    expect(problemsOf(good({ assetId: 'pump\n7' }))[0]?.message).toMatch(/does not match/);
    expect(problemsOf(good({ assetId: '-pump' }))[0]?.message).toMatch(/does not match/);
    expect(problemsOf(good({ assetId: 'pump🔥' }))[0]?.message).toMatch(/does not match/);
    // "é" as e + combining accent is the same text as the single code point, but another key.
    expect(problemsOf(good({ assetId: 'pompe-e\u0301' }))[0]?.message).toMatch(/NFC/);

    const unicode = validateReadings(
      [good({ assetId: 'pompe-é' }), good({ assetId: 'насос-7' })],
      limits,
      clock,
    );
    expect(unicode.readings.map((r) => r.assetId)).toEqual(['pompe-é', 'насос-7']);
    // Length counts characters, not UTF-16 units.
    expect(validateReadings([good({ assetId: '𝟘'.repeat(12) })], limits, clock).problems).toEqual(
      [],
    );
  });

  it('refuses timestamps beyond the clock skew or older than the horizon', () => {
    expect(problemsOf(good({ ts: now + 61_000 }))).toEqual([
      {
        path: 'ts',
        message: "lies 61 s ahead of the gateway's clock; at most 60 s of clock skew is accepted",
      },
    ]);
    expect(validateReadings([good({ ts: now + 60_000 })], limits, clock).problems).toEqual([]);
    expect(problemsOf(good({ ts: now - 10 * DAY - 1 }))).toEqual([
      { path: 'ts', message: 'is more than 10 days old' },
    ]);
    expect(problemsOf(good({ ts: Math.floor(now / 1000) }))[0]?.message).toMatch(/epoch seconds\?/);
    expect(problemsOf(good({ ts: '2026-12-03T10:00:00' }))[0]?.message).toMatch(/no UTC offset/);
  });

  it('refuses two readings of one asset at one instant within a batch', () => {
    const result = validateReadings(
      [
        good(),
        good({ ts: '2026-12-03T11:00:00+01:00', metrics: { pressure: 4 } }),
        good({ assetId: 'pump-8' }),
      ],
      limits,
      clock,
    );
    expect(result.readings).toEqual([]);
    expect(result.problems).toEqual([
      {
        index: 1,
        path: 'ts',
        message: 'reading 0 has the same assetId and ts; merge their metrics into one reading',
      },
    ]);
  });

  it('caps the listed problems but counts them all', () => {
    const items = Array.from({ length: 150 }, (_, i) =>
      good({ assetId: `a${i}`, metrics: { x: 'bad' } }),
    );
    const result = validateReadings(items, { ...limits, maxBatchReadings: 1000 }, clock);
    expect(result.problems).toHaveLength(100);
    expect(result.problemCount).toBe(150);
    expect(result.invalidReadings).toBe(150);
    expect(result.problemsByRule.get('metric_value')).toBe(150);
  });
});
