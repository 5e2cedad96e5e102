import { parseInstant } from '../lib/instant';

/** A numeric option within bounds, or an error naming the option. */
export function numberOption(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name} must be a number from ${min} to ${max}, not ${raw}`);
  }
  return value;
}

/** A time option, as epoch milliseconds or ISO 8601 with a zone. */
export function timeOption(name: string, text: string): number {
  const ms = parseInstant(text);
  if (ms === undefined)
    throw new Error(`--${name} must be epoch ms or ISO 8601 with a zone, not ${text}`);
  return ms;
}
