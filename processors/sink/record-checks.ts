/**
 * Rules a record must meet before it is written: what PostgreSQL cannot
 * store (a NUL character in text, a key too large for a B-tree index, a
 * time outside timestamptz) and what the contract forbids (non-finite
 * numbers). A record that breaks one goes to the dead-letter topic with
 * the rule it broke, instead of failing a whole batch in the database.
 */

// A B-tree entry holds at most about 2.7 kB; a key has up to three text parts.
export const MAX_KEY_BYTES = 800;

// 0001-01-01 to the largest instant a JavaScript Date holds (year 275760).
const MIN_TIME_MS = -62_135_596_800_000;
const MAX_TIME_MS = 8_640_000_000_000_000;

/** A field that is part of a table's key. */
export function keyProblem(field: string, value: string): string | undefined {
  if (value.length === 0) return `${field} is empty`;
  if (Buffer.byteLength(value, 'utf8') > MAX_KEY_BYTES) {
    return `${field} is longer than ${MAX_KEY_BYTES} bytes`;
  }
  return textProblem(field, value);
}

export function textProblem(field: string, value: string): string | undefined {
  if (value.includes('\u0000')) return `${field} contains a NUL character`;
  return undefined;
}

export function timeProblem(field: string, epochMs: number): string | undefined {
  if (!Number.isFinite(epochMs) || epochMs < MIN_TIME_MS || epochMs > MAX_TIME_MS) {
    return `${field} ${epochMs} is not a storable time`;
  }
  return undefined;
}

/** Names must be valid keys, values finite numbers. */
export function numberMapProblem(
  field: string,
  map: Readonly<Record<string, number>>,
): string | undefined {
  for (const [name, value] of Object.entries(map)) {
    const problem = keyProblem(`${field} name`, name);
    if (problem) return problem;
    if (!Number.isFinite(value)) return `${field}.${name} is ${value}, not a finite number`;
  }
  return undefined;
}

export function stringMapProblem(
  field: string,
  map: Readonly<Record<string, string>>,
): string | undefined {
  for (const [name, value] of Object.entries(map)) {
    const problem = textProblem(`${field} name`, name) ?? textProblem(`${field}.${name}`, value);
    if (problem) return problem;
  }
  return undefined;
}

/** The first problem found, if any. */
export function firstProblem(...problems: (string | undefined)[]): string | undefined {
  return problems.find((p) => p !== undefined);
}
