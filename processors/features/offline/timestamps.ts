import { InputError, type InputLine } from './input-line';

const isoWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Epoch milliseconds from a number or an ISO 8601 time with a zone. A time
 * without a zone is refused rather than read in the machine's zone, which
 * would make the same file give other windows elsewhere.
 */
export function parseTimestamp(input: InputLine, value: number | string): number {
  if (typeof value === 'number' || /^-?\d+$/.test(value)) {
    const ms = Number(value);
    if (!Number.isSafeInteger(ms))
      throw new InputError(input, `ts ${value} is not whole milliseconds`);
    return ms;
  }
  const ms = isoWithZone.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw new InputError(
      input,
      `ts ${JSON.stringify(value)} is neither epoch milliseconds nor ISO 8601 with a zone (such as 2026-12-03T10:00:00Z)`,
    );
  }
  return ms;
}
