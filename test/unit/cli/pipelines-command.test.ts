import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProgram } from '../../../cli';
import { fromRoot } from '../../../lib/package-root';

async function lint(...paths: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
  const error = jest.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  process.exitCode = 0;
  try {
    await buildProgram().parseAsync(['node', 'smp', 'pipelines', 'lint', ...paths]);
    return { code: Number(process.exitCode ?? 0), out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.exitCode = 0;
    log.mockRestore();
    error.mockRestore();
  }
}

describe('smp pipelines lint', () => {
  it('passes the shipped definitions', async () => {
    const result = await lint(fromRoot('pipelines'));
    expect(result).toMatchObject({ code: 0, out: '2 pipeline file(s) OK' });
  });

  it('exits 3 on any error and prints file, line and hint', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smp-lint-'));
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      'name: bad\nassets: { ids: ["*"] }\nwindow: { type: sliding, size: 10 }\nfeatures:\n  - metrics: [t]\n    compute: [avg]\n',
    );
    const result = await lint(dir);
    expect(result.code).toBe(3);
    expect(result.err).toContain(`${dir}/bad.yaml:3:`);
    expect(result.err).toContain('window.size: 10 has no unit');
    expect(result.err).toContain(
      `${dir}/bad.yaml:6:15: error: features.0.compute.0: "avg" is not valid`,
    );
    expect(result.err).toContain('2 problem(s) in 1 file(s)');
  });
});
