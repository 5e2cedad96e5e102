import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../lib/package-root';
import { seededRandom } from './random';

/**
 * NASA C-MAPSS FD001 from the shared datasets folder next to the project
 * (or SMP_TEST_CMAPSS_FILE). On a machine without it, a file in the same
 * text format with synthetic engines, so the tests still read C-MAPSS.
 */
export function cmapssFile(): { file: string; real: boolean } {
  const shared = path.resolve(
    packageRoot(),
    '..',
    'shared',
    'datasets',
    'cmapss',
    'train_FD001.txt',
  );
  const file = process.env.SMP_TEST_CMAPSS_FILE ?? shared;
  if (existsSync(file)) return { file, real: true };
  return { file: syntheticCmapss(), real: false };
}

function syntheticCmapss(): string {
  const random = seededRandom(4);
  const lines: string[] = [];
  for (let unit = 1; unit <= 20; unit++) {
    const life = 150 + Math.floor(random() * 100);
    for (let cycle = 1; cycle <= life; cycle++) {
      const wear = cycle / life;
      const columns = [unit, cycle, random() * 0.002 - 0.001, random() * 0.0006 - 0.0003, 100];
      for (let s = 1; s <= 21; s++)
        columns.push(Number((500 + s * 10 + wear * s + random()).toFixed(4)));
      lines.push(columns.join(' '));
    }
  }
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'smp-cmapss-')), 'train_FD001.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
