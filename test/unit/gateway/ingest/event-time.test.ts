import { parseEventTime } from '../../../../gateway/ingest/event-time';

const ms = (value: unknown) => {
  const parsed = parseEventTime(value);
  if ('problem' in parsed) throw new Error(`unexpected problem: ${parsed.problem}`);
  return parsed.ms;
};
const problem = (value: unknown) => {
  const parsed = parseEventTime(value);
  if ('ms' in parsed) throw new Error(`unexpectedly parsed as ${parsed.ms}`);
  return parsed.problem;
};

describe('event time', () => {
  it('reads RFC 3339 timestamps in UTC and with offsets as the same instant', () => {
    const utc = Date.UTC(2026, 11, 3, 10, 0, 0, 0);
    expect(ms('2026-12-03T10:00:00.000Z')).toBe(utc);
    expect(ms('2026-12-03T10:00:00Z')).toBe(utc);
    expect(ms('2026-12-03t10:00:00z')).toBe(utc);
    expect(ms('2026-12-03T11:00:00+01:00')).toBe(utc);
    expect(ms('2026-12-03T04:30:00-05:30')).toBe(utc);
  });

  it('keeps milliseconds and truncates finer fractions', () => {
    const base = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(ms('2026-01-01T00:00:00.5Z')).toBe(base + 500);
    expect(ms('2026-01-01T00:00:00.123Z')).toBe(base + 123);
    expect(ms('2026-01-01T00:00:00.123999999Z')).toBe(base + 123);
  });

  it('takes epoch milliseconds as whole JSON numbers', () => {
    expect(ms(1_764_756_000_000)).toBe(1_764_756_000_000);
    expect(ms(0)).toBe(0);
    expect(problem(1_764_756_000_000.5)).toMatch(/whole number/);
    expect(problem(Number.MAX_VALUE)).toMatch(/whole number/);
  });

  it('refuses timestamps without a zone instead of guessing one', () => {
    expect(problem('2026-12-03T10:00:00')).toMatch(/no UTC offset/);
    expect(problem('2026-12-03T10:00:00.000')).toMatch(/no UTC offset/);
    expect(problem('2026-12-03 10:00:00')).toMatch(/no UTC offset/);
    expect(problem('2026-12-03')).toMatch(/no UTC offset/);
  });

  it('refuses numbers in strings, other formats and other types', () => {
    expect(problem('1764756000000')).toMatch(/number in a string/);
    expect(problem('Thu, 03 Dec 2026 10:00:00 GMT')).toMatch(/RFC 3339/);
    expect(problem('2026-12-03T10:00Z')).toMatch(/RFC 3339/);
    expect(problem(true)).toMatch(/RFC 3339/);
    expect(problem(null)).toMatch(/RFC 3339/);
    expect(problem({})).toMatch(/RFC 3339/);
  });

  it('refuses dates and times that do not exist', () => {
    expect(problem('2026-02-29T00:00:00Z')).toMatch(/not a calendar date/);
    expect(ms('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
    expect(problem('2026-13-01T00:00:00Z')).toMatch(/not a calendar date/);
    expect(problem('2026-04-31T00:00:00Z')).toMatch(/not a calendar date/);
    expect(problem('2026-01-01T24:00:00Z')).toMatch(/not a time of day/);
    expect(problem('2026-01-01T23:59:60Z')).toMatch(/leap seconds/);
    expect(problem('2026-01-01T00:00:00+24:00')).toMatch(/not a UTC offset/);
  });
});
