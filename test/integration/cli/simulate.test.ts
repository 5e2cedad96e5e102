import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fromRoot } from '../../../lib/package-root';
import { useGateway, useReadingsTopic } from '../../support/gateway';

const run = promisify(execFile);

describe('smp simulate', () => {
  const fixture = useGateway();
  const { producedBy } = useReadingsTopic(() => fixture.gateway.config);

  const simulate = (...args: string[]) =>
    run(
      process.execPath,
      [fromRoot('bin', 'smp.js'), 'simulate', '--url', fixture.gateway.url, ...args],
      {
        env: process.env,
      },
    );

  it('sends exactly the readings asked for and reports what was accepted', async () => {
    const { key } = await fixture.keys.create(['data:ingest']);
    let stdout = '';
    const records = await producedBy(async () => {
      ({ stdout } = await simulate(
        '--api-key',
        key,
        '--assets',
        '7',
        '--readings',
        '500',
        '--batch',
        '40',
        '--rate',
        '0',
        '--seed',
        'cli-test',
        '--start',
        new Date(Date.now() - 3_600_000).toISOString(),
        '--interval',
        '5',
        '--json',
      ));
    });
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      readingsSent: 500,
      readingsAccepted: 500,
      requests: 13,
      failedByStatus: {},
    });
    expect(report.latency.p99Ms).toBeGreaterThan(0);
    expect(records).toHaveLength(500);
    expect(new Set(records.map((r) => r.key))).toEqual(
      new Set([
        'pump-0001',
        'compressor-0002',
        'fan-0003',
        'pump-0004',
        'compressor-0005',
        'fan-0006',
        'pump-0007',
      ]),
    );
  });

  it('exits 1 and says why when the gateway refuses the readings', async () => {
    const failure = simulate(
      '--api-key',
      `smp_${'0'.repeat(16)}_${'x'.repeat(43)}`,
      '--readings',
      '20',
      '--rate',
      '0',
    );
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/failed +20 with 401[\s\S]*SMP_AUTH_INVALID/),
    });
  });

  it('asks for a key when none is given', async () => {
    await expect(simulate('--readings', '1')).rejects.toMatchObject({
      stderr: expect.stringMatching(/--api-key or set SMP_API_KEY/),
    });
  });
});
