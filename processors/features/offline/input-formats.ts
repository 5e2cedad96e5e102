import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Reading } from '../window/types';
import { CsvReadings } from './read-csv';
import { CMAPSS_DEFAULT_BASE, cmapssSubset, parseCmapssLine } from './read-cmapss';
import { parseNdjsonLine } from './read-ndjson';
import type { InputLine } from './input-line';

export type InputFormat = 'csv' | 'ndjson' | 'cmapss';

export interface InputOptions {
  readonly format?: InputFormat;
  /** C-MAPSS: event time of cycle 0 (default 2000-01-01T00:00:00Z). */
  readonly cmapssBase?: number;
  /** C-MAPSS: asset id prefix (default: FDxxx from the file name). */
  readonly cmapssSubset?: string;
}

/** The format a file's name suggests: .csv, .ndjson/.jsonl/.json, or .txt for C-MAPSS. */
export function formatOf(file: string): InputFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl' || ext === '.json') return 'ndjson';
  if (ext === '.txt') return 'cmapss';
  return undefined;
}

/**
 * A line parser for a file: returns the reading of a line, undefined for a
 * line that holds none (blank, header), or throws InputError.
 */
export function lineParser(
  file: string,
  options: InputOptions,
): (input: InputLine) => Reading | undefined {
  const format = options.format ?? formatOf(file);
  switch (format) {
    case 'csv': {
      const csv = new CsvReadings();
      return (input) => csv.parse(input);
    }
    case 'ndjson':
      return parseNdjsonLine;
    case 'cmapss': {
      const cmapss = {
        base: options.cmapssBase ?? CMAPSS_DEFAULT_BASE,
        subset: options.cmapssSubset ?? cmapssSubset(file) ?? 'FD001',
      };
      return (input) => parseCmapssLine(input, cmapss);
    }
    default:
      throw new Error(`cannot tell the format of ${file}; pass --format csv, ndjson or cmapss`);
  }
}

/** The lines of a file, streamed, with their numbers. */
export async function* fileLines(file: string): AsyncGenerator<InputLine> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    yield { file, line, text };
  }
}
