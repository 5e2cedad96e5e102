import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMigrations } from '../../../../lib/db';

describe('the migration files', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'smp-migrations-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('of the project come as single files or complete variant pairs', () => {
    const migrations = loadMigrations();
    const versions = [...new Set(migrations.map((m) => m.version))];
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    expect(migrations.filter((m) => m.variant === 'timescale').map((m) => m.version)).toEqual([
      2, 3, 5,
    ]);
  });

  it('refuse a lone variant, which would leave the other storage path a version short', () => {
    writeFileSync(path.join(dir, '0001_a.sql'), 'SELECT 1;');
    writeFileSync(path.join(dir, '0002_b.timescale.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/0002 has the variants timescale/);
  });

  it('read a first-line marker as running outside a transaction, and ignore line endings', () => {
    writeFileSync(path.join(dir, '0001_a.sql'), '-- smp:no-transaction\r\nSELECT 1;\r\n');
    writeFileSync(path.join(dir, '0002_b.sql'), 'SELECT 1;\n');
    const [a, b] = loadMigrations(dir);
    expect(a?.transactional).toBe(false);
    expect(b?.transactional).toBe(true);
    writeFileSync(path.join(dir, '0001_a.sql'), '-- smp:no-transaction\nSELECT 1;\n');
    expect(loadMigrations(dir)[0]?.checksum).toBe(a?.checksum);
  });
});
