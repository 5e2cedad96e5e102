import { isSmpError, messageOf } from '../lib/errors';

/**
 * Exit codes of every command: 0 success, 1 failure, 2 bad configuration or
 * usage, 3 a check that found problems (drift, incompatible schemas, lint).
 */
export const EXIT_FAILURE = 1;
export const EXIT_CONFIG = 2;
export const EXIT_CHECK_FAILED = 3;

export function printError(error: unknown): void {
  if (isSmpError(error)) {
    process.stderr.write(`smp: ${error.message} [${error.code}]\n`);
  } else {
    process.stderr.write(`smp: ${messageOf(error)}\n`);
    if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
  }
}

export function exitCodeOf(error: unknown): number {
  return isSmpError(error, 'SMP_CONFIG_INVALID') ? EXIT_CONFIG : EXIT_FAILURE;
}

/** Left-aligned columns for small human-readable tables. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  }
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '),
    )
    .join('\n');
}
