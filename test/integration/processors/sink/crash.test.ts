import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../../../lib/config';
import { migrate, withSession } from '../../../../lib/db';
import type { ReadingRecord } from '../../../../processors/sink';
import { createTestSchema, type TestSchema } from '../../../support/databases';
import { TestTelemetry, waitUntil } from '../../../support/kafka-records';
import { SinkProcess } from '../../../support/sink-process';
import { sortReadings, storedReadings } from './stored-readings';

const KILLS = 5;
const MIN_PRODUCE_MS = 30_000;
const ASSETS = 24;
const READINGS_PER_SEND = 120;
const SEND_EVERY_MS = 100;

/**
 * `smp sink` is killed with SIGKILL at random moments while readings keep
 * arriving, and started again each time. Afterwards the table must hold
 * exactly the readings Kafka acknowledged: none missing, none twice, every
 * value as sent.
 */
describe('the sink killed with SIGKILL during a sustained ingest', () => {
  const run = randomBytes(4).toString('hex');
  const config = loadConfig();
  const groupId = `smp-sink-crash-${run}`;
  const telemetry = new TestTelemetry(config);
  let schema: TestSchema;
  let sink: SinkProcess;

  beforeAll(async () => {
    schema = await createTestSchema();
    await withSession(schema.pool(1), (session) => migrate(session));
    await telemetry.startAtEnd(`${groupId}.readings`, ['readings']);
    sink = new SinkProcess({
      DATABASE_URL: schema.url,
      SMP_SINK_GROUP_ID: groupId,
      SMP_SINK_TOPICS: 'readings',
      SMP_SINK_BATCH_MAX_WAIT_MS: '100',
      SMP_KAFKA_SESSION_TIMEOUT_MS: '6000',
      SMP_OPS_PORT: '0',
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    await sink?.stop();
    await telemetry.close();
    await schema?.drop();
  });

  it('stores exactly the acknowledged readings, once each', async () => {
    const assets = Array.from({ length: ASSETS }, (_, i) => `crash-${run}-${i}`);
    const accepted: ReadingRecord[] = [];
    sink.start();

    const pool = schema.pool(2);
    const storedNow = async () => {
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM reading_meta WHERE asset_id = ANY($1)',
        [assets],
      );
      return rows[0].n as number;
    };
    const started = Date.now();
    const killing = killRepeatedly(sink, storedNow);
    await produceSteadily(assets, accepted, killing);
    const storedAtKills = await killing;
    const produced = Date.now();
    await waitUntil(
      `the sink has stored all ${accepted.length} readings`,
      async () => (await storedNow()) >= accepted.length,
      90_000,
      500,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nsink output:\n${sink.lastOutput}`);
    });
    if (process.env.SMP_TEST_VERBOSE) {
      console.log({
        accepted: accepted.length,
        storedAtKills,
        produceSeconds: (produced - started) / 1000,
        catchUpSeconds: (Date.now() - produced) / 1000,
      });
    }

    expect(storedAtKills).toHaveLength(KILLS);
    expect(accepted.length).toBeGreaterThan(10_000);
    const stored = await storedReadings(pool, assets);
    expect(stored.length).toBe(accepted.length);
    expect(stored).toEqual(sortReadings(accepted));
    const values = await pool.query(
      'SELECT count(*)::int AS n FROM readings WHERE asset_id = ANY($1)',
      [assets],
    );
    expect(values.rows[0].n).toBe(accepted.length * 3);
  }, 180_000);

  /**
   * About a thousand readings a second until the kills are over (and at
   * least 30 s); only what Kafka acknowledged counts as accepted.
   */
  async function produceSteadily(
    assets: string[],
    accepted: ReadingRecord[],
    killing: Promise<unknown>,
  ): Promise<void> {
    const start = Date.now();
    const base = start - 60 * 60 * 1000;
    let killed = false;
    void killing.finally(() => (killed = true));
    for (let seq = 0; !killed || Date.now() - start < MIN_PRODUCE_MS; seq++) {
      const batch = Array.from({ length: READINGS_PER_SEND }, (_, i) => {
        const n = seq * READINGS_PER_SEND + i;
        return {
          assetId: assets[n % assets.length]!,
          ts: base + n,
          metrics: { temp: 20 + (n % 1000) / 10, vib: (n % 97) / 97, rpm: 1000 + (n % 500) },
          tags: { seq: String(seq) },
          receivedAt: base + n + 1,
        };
      });
      await telemetry.produce('readings', batch);
      accepted.push(...batch);
      await sleep(SEND_EVERY_MS);
    }
  }
});

/**
 * Kills the sink at a random moment once it is storing again (a process
 * that never got past its start would prove little), then starts it again
 * after a random pause. Returns how many readings were stored at each kill.
 */
async function killRepeatedly(sink: SinkProcess, stored: () => Promise<number>): Promise<number[]> {
  const storedAtKills: number[] = [];
  let last = 0;
  for (let i = 0; i < KILLS; i++) {
    await waitUntil(
      'the restarted sink stores readings',
      async () => (await stored()) > last,
      60_000,
    );
    await sleep(Math.random() * 1500);
    await sink.kill();
    last = await stored();
    storedAtKills.push(last);
    await sleep(Math.random() * 1000);
    sink.start();
  }
  return storedAtKills;
}
