/**
 * Durations in pipeline definitions are written with their unit
 * (`250ms`, `30s`, `5m`, `1h`, `1d`, or several parts such as `1m30s`), so
 * that nobody has to guess whether a bare number meant seconds or
 * milliseconds. They are held as whole milliseconds.
 */
const unitMs: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

export const DURATION_HINT = 'write a duration with its unit, such as 250ms, 30s, 5m, 1h or 1m30s';

/** Milliseconds, or a message saying what is wrong. */
export function parseDuration(input: unknown): number | { error: string } {
  // Zero is zero in every unit.
  if (input === 0 || input === '0') return 0;
  if (typeof input === 'number') {
    return { error: `${input} has no unit` };
  }
  if (typeof input !== 'string' || input.trim() === '') {
    return { error: 'expected a duration' };
  }
  const text = input.trim();
  let total = 0;
  part.lastIndex = 0;
  while (part.lastIndex < text.length) {
    const at = part.lastIndex;
    const match = part.exec(text);
    if (!match) return { error: `cannot read ${JSON.stringify(text)} as a duration` };
    if (match.index !== at) return { error: `cannot read ${JSON.stringify(text)}` };
    total += Number(match[1]) * unitMs[match[2]!]!;
  }
  if (!Number.isSafeInteger(Math.round(total))) return { error: `${text} is too long` };
  if (Math.abs(total - Math.round(total)) > 1e-6) {
    return { error: `${text} is not a whole number of milliseconds` };
  }
  return Math.round(total);
}

/** The shortest exact spelling of a duration, for messages and listings. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = unitMs[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
