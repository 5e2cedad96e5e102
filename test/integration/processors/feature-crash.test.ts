import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../lib/config';
import { topics } from '../../../lib/kafka/topics';
import { loadPipelines } from '../../../pipelines';
import { changelogTopicName, type Reading } from '../../../processors/features';
import { fleetReadings, offlineVectors, spawnFeatureStage } from '../../support/feature-runs';
import {
  KafkaIo,
  distinctAtLeast,
  vectorContent,
  vectorId,
  type FeatureVectorRecord,
} from '../../support/kafka-io';

/**
 * `kill -9` of `smp features` at several points (mid-stream, and while it
 * restores after a restart), then a restart: the feature vectors on the
 * topic must be exactly those the offline mode computes from the same
 * readings — identical repeats allowed, nothing missing, nothing different.
 * Run `npm run build` first: the test starts the compiled CLI.
 */
jest.setTimeout(240_000);

const config = loadConfig();
const run = randomUUID().slice(0, 8);
const prefix = `crash-${run}`;
const groupId = `test-crash-${run}`;

const pipelineDir = mkdtempSync(path.join(os.tmpdir(), 'smp-crash-pipelines-'));
writeFileSync(
  path.join(pipelineDir, 'crash-tumbling.yaml'),
  `name: crash-tumbling
assets: { ids: ['${prefix}-*'] }
window: { type: tumbling, size: 5s, grace: 1s, idleTimeout: 8s }
features:
  - metrics: [temp]
    compute: [count, mean, std, min, max, slope]
  - metrics: [vib]
    compute: [rms, max, last]
`,
);
writeFileSync(
  path.join(pipelineDir, 'crash-sliding.yaml'),
  `name: crash-sliding
assets: { ids: ['${prefix}-*'] }
window: { type: sliding, size: 4s, idleTimeout: 8s }
features:
  - metrics: [temp, vib]
    compute: [mean, last, count]
`,
);

const childEnv = {
  SMP_FEATURES_GROUP_ID: groupId,
  SMP_PIPELINES_DIR: pipelineDir,
  SMP_KAFKA_SESSION_TIMEOUT_MS: '6000',
  SMP_FEATURES_IDLE_SWEEP_MS: '200',
  LOG_LEVEL: 'info',
};

describe('the feature stage killed with SIGKILL', () => {
  const io = new KafkaIo(config);
  afterAll(async () => {
    io.deleteOnClose(changelogTopicName(groupId));
    await io.close();
  });

  it('emits after restarts exactly the feature vectors of an uninterrupted run', async () => {
    const { pipelines, problems } = loadPipelines(pipelineDir, {});
    expect(problems).toEqual([]);
    const readings = fleetReadings(prefix, 16, 2000);
    const expected = new Map<string, object>();
    const expectedLate = new Set<string>();
    for (const pipeline of pipelines) {
      const offline = await offlineVectors(pipeline, readings);
      for (const v of offline.vectors) expected.set(vectorId(v), v);
      for (const l of offline.late) expectedLate.add(lateKey(l as LateLike));
    }
    expect(expected.size).toBeGreaterThan(30_000);
    expect(expectedLate.size).toBeGreaterThan(50);

    // The readings arrive as a live stream (about 2,000 a second) while
    // the stage is killed at several points, so that kills land mid-batch,
    // mid-write and between writes rather than after the work is done.
    const progress = await progressMeter(io, groupId, readings.length);
    const streaming = streamReadings(io, readings, 200, 100);
    for (const share of [0.1, 0.35, 0.6]) {
      const stage = spawnFeatureStage(childEnv);
      const reached = await progress.waitFor(share, stage);
      stage.child.kill('SIGKILL');
      await stage.exited;
      expect(reached).toBeLessThan(1);
    }
    // And once while it restores its partitions after a restart.
    const restoring = spawnFeatureStage(childEnv);
    await waitForOutput(restoring, '"msg":"partitions assigned"');
    restoring.child.kill('SIGKILL');
    await restoring.exited;
    expect(restoring.output()).not.toContain('"msg":"partition restored"');
    await streaming;

    const last = spawnFeatureStage(childEnv);
    const records = await io.collect<FeatureVectorRecord>('features', {
      keep: (key) => key.startsWith(`${prefix}-`),
      enough: distinctAtLeast(expected.size, (r) => vectorId(r.value)),
      timeoutMs: 120_000,
    });
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
    await progress.close();

    const seen = new Map<string, object>();
    for (const { value } of records) {
      const id = vectorId(value);
      const content = vectorContent(value);
      if (seen.has(id)) expect(content).toEqual(seen.get(id)); // a repeat must be identical
      seen.set(id, content);
    }
    const missing = [...expected.keys()].filter((id) => !seen.has(id));
    const extra = [...seen.keys()].filter((id) => !expected.has(id));
    expect({ missing: missing.slice(0, 5), extra: extra.slice(0, 5) }).toEqual({
      missing: [],
      extra: [],
    });
    for (const [id, content] of seen) expect(content).toEqual(expected.get(id));

    const late = await io.collect<LateLike>('late', {
      keep: (key) => key.startsWith(`${prefix}-`),
      enough: distinctAtLeast(expectedLate.size, (r) => lateKey(r.value)),
    });
    expect(new Set(late.map((r) => lateKey(r.value)))).toEqual(expectedLate);
  });
});

interface LateLike {
  pipeline: string;
  reading: { assetId: string; ts: number };
  reason: string;
  lateByMs: number;
  assetClock: number;
}

function lateKey(l: LateLike): string {
  return [l.pipeline, l.reading.assetId, l.reading.ts, l.reason, l.lateByMs, l.assetClock].join(
    '|',
  );
}

/**
 * How much of this test's readings the group has committed, polled while a
 * child runs. Readings of other tests before them count as done.
 */
async function progressMeter(io: KafkaIo, group: string, total: number) {
  const admin = io.kafka.admin();
  await admin.connect();
  const sum = (offsets: { offset?: string; high?: string }[]) =>
    offsets.reduce((n, o) => n + Math.max(0, Number(o.high ?? o.offset)), 0);
  const start = sum(await admin.fetchTopicOffsets(topics.readings));
  return {
    async share(): Promise<number> {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topics.readings] });
      return Math.max(0, sum(offsets!.partitions) - start) / total;
    },
    /** Waits until the share is committed; returns the share reached. */
    async waitFor(
      share: number,
      stage: { exited: Promise<unknown>; output: () => string },
    ): Promise<number> {
      let stopped = false;
      void stage.exited.then(() => (stopped = true));
      for (;;) {
        if (stopped) throw new Error(`the feature stage exited on its own:\n${stage.output()}`);
        const reached = await this.share();
        if (reached >= share) return reached;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    close: () => admin.disconnect(),
  };
}

async function streamReadings(
  io: KafkaIo,
  readings: readonly Reading[],
  chunk: number,
  pauseMs: number,
): Promise<void> {
  for (let i = 0; i < readings.length; i += chunk) {
    await io.produceReadings(readings.slice(i, i + chunk));
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

async function waitForOutput(stage: { output: () => string }, text: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!stage.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no ${text} in:\n${stage.output()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
