/**
 * Event-time normalisation: a reading's `ts` arrives as an RFC 3339
 * timestamp with an explicit offset (`2026-12-03T10:00:00.000Z`,
 * `2026-12-03T11:00:00+01:00`) or as epoch milliseconds (a JSON integer),
 * and leaves as epoch milliseconds UTC.
 *
 * Forms that could mean two instants are refused rather than guessed: a
 * timestamp without a zone (whose local time?), a numeric string, a
 * fractional number. Fractions of a millisecond are truncated, as Kafka
 * and the Avro schema keep milliseconds.
 */
export type EventTime = { readonly ms: number } | { readonly problem: string };

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

const ZONELESS = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

const MS_PER_MINUTE = 60_000;

export function parseEventTime(value: unknown): EventTime {
  if (typeof value === 'number') return fromEpochMs(value);
  if (typeof value === 'string') return fromText(value);
  return {
    problem: 'must be an RFC 3339 timestamp with offset or epoch milliseconds',
  };
}

function fromEpochMs(value: number): EventTime {
  if (!Number.isSafeInteger(value)) {
    return { problem: 'epoch milliseconds must be a whole number' };
  }
  return { ms: value };
}

function fromText(text: string): EventTime {
  const m = RFC3339.exec(text);
  if (!m) return { problem: textProblem(text) };
  const [, y, mo, d, h, mi, s, fraction, zone] = m as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
    return { problem: `${y}-${mo}-${d} is not a calendar date` };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { problem: `${h}:${mi}:${s} is not a time of day (leap seconds are not accepted)` };
  }
  const offset = offsetMinutes(zone!);
  if (offset === undefined) return { problem: `${zone} is not a UTC offset` };
  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC maps years 0-99 to 1900-1999; such timestamps fail the age
  // check anyway, so no special case is needed here.
  return { ms: utc - offset * MS_PER_MINUTE };
}

function textProblem(text: string): string {
  if (ZONELESS.test(text.trim())) {
    return 'has no UTC offset; add Z or +hh:mm so the instant is unambiguous';
  }
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) {
    return 'is a number in a string; send epoch milliseconds as a JSON number';
  }
  return 'must be an RFC 3339 timestamp with offset (2026-12-03T10:00:00.000Z) or epoch milliseconds';
}

function offsetMinutes(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 23 || minutes > 59) return undefined;
  const sign = zone[0] === '-' ? -1 : 1;
  return sign * (hours * 60 + minutes);
}

function daysIn(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
