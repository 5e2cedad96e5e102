import type { Reading } from '../window/types';
import { InputError, type InputLine } from './input-line';
import { parseTimestamp } from './timestamps';

/**
 * Comma-separated readings with a header row: `assetId`, `ts` (epoch
 * milliseconds or ISO 8601 with a zone), one column per metric, and
 * `tag.<name>` columns for tags. An empty cell is a metric the reading does
 * not carry. Fields may be double-quoted, with `""` for a quote inside.
 */
export class CsvReadings {
  private columns: string[] | undefined;

  parse(input: InputLine): Reading | undefined {
    if (input.text.trim() === '') return undefined;
    const cells = splitCsv(input);
    if (!this.columns) {
      this.columns = this.header(input, cells);
      return undefined;
    }
    if (cells.length !== this.columns.length) {
      throw new InputError(input, `expected ${this.columns.length} fields, found ${cells.length}`);
    }
    let assetId = '';
    let ts = '';
    const metrics: Record<string, number> = {};
    const tags: Record<string, string> = {};
    this.columns.forEach((column, i) => {
      const cell = cells[i]!;
      if (column === 'assetId') assetId = cell;
      else if (column === 'ts') ts = cell;
      else if (column.startsWith('tag.')) {
        if (cell !== '') tags[column.slice(4)] = cell;
      } else if (cell.trim() !== '') {
        const value = Number(cell);
        if (!Number.isFinite(value)) {
          throw new InputError(input, `${column} is ${JSON.stringify(cell)}, not a finite number`);
        }
        metrics[column] = value;
      }
    });
    if (assetId === '') throw new InputError(input, 'assetId is empty');
    return { assetId, ts: parseTimestamp(input, ts.trim()), metrics, tags };
  }

  private header(input: InputLine, cells: string[]): string[] {
    const columns = cells.map((c) => c.trim());
    for (const required of ['assetId', 'ts']) {
      if (!columns.includes(required)) {
        throw new InputError(input, `the header has no ${required} column`);
      }
    }
    const seen = new Set<string>();
    for (const column of columns) {
      if (seen.has(column)) throw new InputError(input, `column ${column} appears twice`);
      seen.add(column);
    }
    return columns;
  }
}

function splitCsv(input: InputLine): string[] {
  const text = input.text.replace(/\r$/, '');
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new InputError(input, 'a quoted field is not closed on its line');
        cell += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          cell += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      cells.push(cell);
    } else {
      const comma = text.indexOf(',', i);
      cells.push(text.slice(i, comma < 0 ? text.length : comma));
      i = comma < 0 ? text.length : comma;
    }
    if (i >= text.length) return cells;
    if (text[i] !== ',') throw new InputError(input, `unexpected ${text[i]} after a quoted field`);
    i++;
  }
}
