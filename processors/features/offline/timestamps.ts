import { parseInstant } from '../../../lib/instant';
import { InputError, type InputLine } from './input-line';

/** Epoch milliseconds from a number or a text instant (see lib/instant.ts). */
export function parseTimestamp(input: InputLine, value: number | string): number {
  const ms = typeof value === 'number' ? value : parseInstant(value);
  if (ms === undefined || !Number.isSafeInteger(ms)) {
    throw new InputError(
      input,
      `ts ${JSON.stringify(value)} is neither epoch milliseconds nor ISO 8601 with a zone (such as 2026-12-03T10:00:00Z)`,
    );
  }
  return ms;
}
