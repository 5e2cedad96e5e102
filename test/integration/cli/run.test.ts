import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../../lib/config';
import { createPool, type Pool } from '../../../lib/db';
import { fromRoot } from '../../../lib/package-root';
import { ApiKeyStore } from '../../../gateway/auth';
import { runCli } from '../../support/cli';
import { cmapssFile } from '../../support/cmapss-file';
import { waitUntil } from '../../support/kafka-records';
import { freePorts } from '../../support/servers';

const config = loadConfig();

/**
 * `smp run` as a user starts it: one process with every stage, fed by
 * `smp replay cmapss` through its gateway, stopped with SIGTERM.
 */
describe('smp run with smp replay cmapss', () => {
  let child: ChildProcess;
  let output = '';
  let url: string;
  let pool: Pool;

  beforeAll(async () => {
    const [port] = await freePorts(1);
    url = `http://127.0.0.1:${port}`;
    pool = createPool(config, { applicationName: 'smp-test-run' });
    child = spawn(process.execPath, [fromRoot('bin', 'smp.js'), 'run', '--no-setup'], {
      cwd: fromRoot(),
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        GATEWAY_PORT: String(port),
        SMP_FEATURES_GROUP_ID: 'smp-test-run-features',
        SMP_SINK_GROUP_ID: 'smp-test-run-sink',
        CMAPSS_IDLE_TIMEOUT: '3s',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitUntil(
      'the pipeline is ready',
      async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200,
      90_000,
    );
  }, 120_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await pool.end();
  });

  it('is ready only when the gateway, the feature stage and the sink are', async () => {
    const ready = (await (await fetch(`${url}/readyz`)).json()) as {
      checks: Record<string, string>;
    };
    const checks = Object.keys(ready.checks).join(' ');
    expect(checks).toMatch(/kafka/);
    expect(checks).toMatch(/feature/);
    expect(checks).toMatch(/sink/);
    expect(Object.values(ready.checks).every((c) => c === 'ok')).toBe(true);
  });

  it('stores every replayed C-MAPSS reading and one feature vector per cycle', async () => {
    const { file } = cmapssFile();
    const cycles = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim().split(/\s+/)[0] === '2').length;
    const base = Date.now() - 86_400_000 + Math.floor(Math.random() * 1_000_000);
    const key = await new ApiKeyStore(pool).create('run test', ['data:ingest']);

    const replay = await runCli([
      'replay',
      'cmapss',
      '--file',
      file,
      '--units',
      '2',
      '--base',
      String(base),
      '--url',
      url,
      '--api-key',
      key.key,
      '--batch',
      '50',
    ]);
    expect(replay.stderr).toContain(`${cycles} readings to send`);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`accepted  ${cycles} `);

    const range = [new Date(base), new Date(base + 1000 * (cycles + 1))];
    await waitUntil(
      'every reading and vector is stored',
      async () => {
        const { rows } = await pool.query<{ readings: number; vectors: number }>(
          `SELECT
           (SELECT count(*) FROM reading_meta WHERE asset_id = 'FD001-2' AND ts BETWEEN $1 AND $2) AS readings,
           (SELECT count(*) FROM feature_vectors WHERE asset_id = 'FD001-2' AND pipeline = 'cmapss-rul'
              AND window_end BETWEEN $1 AND $2) AS vectors`,
          range,
        );
        return rows[0]!.readings === cycles && rows[0]!.vectors === cycles;
      },
      90_000,
    );

    const { rows } = await pool.query<{ features: Record<string, number> }>(
      `SELECT features FROM feature_vectors WHERE asset_id = 'FD001-2' AND pipeline = 'cmapss-rul'
         AND window_end BETWEEN $1 AND $2 ORDER BY window_end DESC LIMIT 1`,
      range,
    );
    expect(rows[0]!.features.cycle_last).toBe(cycles);
    expect(rows[0]!.features.cycle_count).toBe(30);
  }, 180_000);

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(60_000).then(() => 'timeout')]);
    expect(code).toBe(0);
    expect(output).toContain('pipeline running');
  }, 70_000);
});
