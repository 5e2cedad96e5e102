import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../../lib/config';
import { stackDown, stackStatus, stackUp } from '../../../infra/stack';
import { freePorts } from '../../support/servers';

const shared = loadConfig();

/**
 * A whole second stack on free ports in a temporary folder: fetched, started,
 * found running, stopped. The shared stack the other tests use must not
 * notice.
 */
describe('a stack of its own: up, up again, status, down', () => {
  let config: Config;
  let stackDir: string;

  beforeAll(async () => {
    stackDir = mkdtempSync(path.join(os.tmpdir(), 'smp-stack-'));
    chmodSync(stackDir, 0o755);
    const [kafka, pg, registry] = await freePorts(3);
    config = {
      ...shared,
      stackDir,
      kafkaBrokers: [`localhost:${kafka}`],
      databaseUrl: `postgres://smp:secret@127.0.0.1:${pg}/smp`,
      schemaRegistryUrl: `http://localhost:${registry}/apis/ccompat/v7`,
    };
  });

  afterAll(async () => {
    await stackDown(config).catch(() => undefined);
    rmSync(stackDir, { recursive: true, force: true });
  });

  it('starts PostgreSQL, Kafka and the registry, each answering', async () => {
    const reports = await stackUp(config);
    expect(reports.map((r) => [r.service, r.outcome])).toEqual([
      ['postgres', 'started'],
      ['kafka', 'started'],
      ['registry', 'started'],
    ]);
    expect(existsSync(path.join(stackDir, 'kafka', 'data', 'meta.properties'))).toBe(true);

    const statuses = await stackStatus(config);
    expect(statuses.every((s) => s.healthy && s.managed && s.pid)).toBe(true);
    expect(statuses.find((s) => s.service === 'kafka')?.version).toMatch(
      /^Kafka 4\.\d+\.\d+ \(KRaft\)$/,
    );
    expect(statuses.find((s) => s.service === 'postgres')?.endpoint).not.toContain('secret');
  }, 240_000);

  it('changes nothing when brought up again', async () => {
    const before = (await stackStatus(config)).map((s) => s.pid);
    const reports = await stackUp(config);
    expect(reports.map((r) => r.outcome)).toEqual([
      'already running',
      'already running',
      'already running',
    ]);
    expect((await stackStatus(config)).map((s) => s.pid)).toEqual(before);
  });

  it('stops exactly what it started, leaving the shared stack running', async () => {
    expect(await stackDown(config)).toEqual(['registry', 'kafka', 'postgres']);
    const after = await stackStatus(config);
    expect(after.every((s) => !s.healthy && !s.managed)).toBe(true);
    expect(await stackDown(config)).toEqual([]);

    const sharedStatus = await stackStatus(shared);
    expect(sharedStatus.every((s) => s.healthy)).toBe(true);
  }, 120_000);
});
