/** A numeric option within bounds, or an error naming the option. */
export function numberOption(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name} must be a number from ${min} to ${max}, not ${raw}`);
  }
  return value;
}

/** A time option, as ISO-8601 or epoch milliseconds. */
export function timeOption(name: string, text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`--${name} must be ISO-8601 or epoch ms, not ${text}`);
  return ms;
}
