import type { Reading } from '../window/types';
import { type InputLine, InputError } from './input-line';

/**
 * NASA C-MAPSS text files (`train_FD001.txt` and the like): one cycle of
 * one engine per line, space separated: unit, cycle, three operational
 * settings and 21 sensors. Following the project's mapping, unit u becomes
 * asset `<subset>-<u>`, cycle c event time `base + c` seconds, and the
 * columns the metrics `cycle`, `setting1`..`setting3` and `s1`..`s21`.
 */
export const CMAPSS_COLUMNS = [
  'setting1',
  'setting2',
  'setting3',
  ...Array.from({ length: 21 }, (_, i) => `s${i + 1}`),
];

/** The fixed default base, so that offline output is the same on every run. */
export const CMAPSS_DEFAULT_BASE = Date.UTC(2000, 0, 1);

export interface CmapssOptions {
  /** Event time of cycle 0, epoch milliseconds. */
  readonly base: number;
  /** Asset id prefix, such as FD001. */
  readonly subset: string;
}

export function parseCmapssLine(input: InputLine, options: CmapssOptions): Reading | undefined {
  const text = input.text.trim();
  if (text === '') return undefined;
  const fields = text.split(/\s+/);
  if (fields.length !== 2 + CMAPSS_COLUMNS.length) {
    throw new InputError(
      input,
      `expected ${2 + CMAPSS_COLUMNS.length} space-separated columns, found ${fields.length}`,
    );
  }
  const numbers = fields.map((f) => Number(f));
  const bad = numbers.findIndex((n) => !Number.isFinite(n));
  if (bad >= 0) throw new InputError(input, `column ${bad + 1} (${fields[bad]}) is not a number`);
  const [unit, cycle] = numbers as [number, number];
  if (!Number.isInteger(unit) || !Number.isInteger(cycle) || unit < 1 || cycle < 1) {
    throw new InputError(
      input,
      `unit ${fields[0]} and cycle ${fields[1]} must be positive integers`,
    );
  }
  const metrics: Record<string, number> = { cycle };
  CMAPSS_COLUMNS.forEach((name, i) => (metrics[name] = numbers[i + 2]!));
  return {
    assetId: `${options.subset}-${unit}`,
    ts: options.base + cycle * 1000,
    metrics,
    tags: {},
  };
}

/** FD001 from `train_FD001.txt`, `test_FD003.txt` and the like. */
export function cmapssSubset(file: string): string | undefined {
  return /(FD\d{3})/i.exec(file)?.[1]?.toUpperCase();
}
