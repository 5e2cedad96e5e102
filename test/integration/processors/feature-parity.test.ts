import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../../lib/config';
import { createLogger } from '../../../lib/log';
import { createRegistry } from '../../../lib/metrics';
import { fromRoot } from '../../../lib/package-root';
import { loadPipelines } from '../../../pipelines';
import { fileLines, lineParser } from '../../../processors/features/offline/input-formats';
import { startFeatureStage, type FeatureStage, type Reading } from '../../../processors/features';
import { cmapssFile } from '../../support/cmapss-file';
import { fleetReadings, offlineVectors } from '../../support/feature-runs';
import {
  KafkaIo,
  distinctAtLeast,
  vectorContent,
  vectorId,
  type FeatureVectorRecord,
} from '../../support/kafka-io';
import { testPipeline } from '../../support/pipeline-definitions';

/**
 * Training/serving parity: the stream and the offline mode give the same
 * feature vectors for the same readings. And a partition that moves to
 * another process in the middle of a window loses nothing.
 * Run `npm run build` first: the offline side is the compiled CLI.
 */
jest.setTimeout(180_000);

const config = { ...loadConfig(), featuresIdleSweepMs: 200, kafkaSessionTimeoutMs: 10_000 };
const CMAPSS = cmapssFile();
const logger = createLogger({ level: 'error', name: 'test-features' });

describe('the stream and the offline mode', () => {
  const io = new KafkaIo(config);
  const stages: FeatureStage[] = [];
  afterAll(async () => {
    await Promise.all(stages.map((s) => s.stop()));
    await io.close();
  });

  it('compute identical cmapss-rul features for C-MAPSS FD001', async () => {
    const { topics, groupId } = await io.stageTopics('parity');

    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'smp-parity-')), 'rul.ndjson');
    await promisify(execFile)(process.execPath, [
      fromRoot('bin', 'smp.js'),
      'features',
      '--offline',
      '--pipeline',
      'cmapss-rul',
      '--input',
      CMAPSS.file,
      '--out',
      out,
    ]);
    const offline = readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    // FD001 has 20,631 cycles of 100 engines.
    if (CMAPSS.real) expect(offline).toHaveLength(20_631);

    const readings: Reading[] = [];
    const parse = lineParser(CMAPSS.file, {});
    for await (const line of fileLines(CMAPSS.file)) {
      const reading = parse(line);
      if (reading) readings.push(reading);
    }
    await io.produceReadings(readings, topics.input);
    const { pipelines } = loadPipelines(fromRoot('pipelines'), {});
    stages.push(
      await startFeatureStage(config, {
        logger,
        registry: createRegistry(),
        pipelines: pipelines.filter((p) => p.name === 'cmapss-rul'),
        groupId,
        topics,
      }),
    );
    const streamed = await io.collect<FeatureVectorRecord>('features', {
      topic: topics.features,
      keep: () => true,
      enough: (records) => records.length >= offline.length,
      timeoutMs: 120_000,
    });

    const byId = new Map(offline.map((v) => [vectorId(v), v]));
    expect(streamed).toHaveLength(offline.length);
    for (const { value } of streamed)
      expect(vectorContent(value)).toEqual(byId.get(vectorId(value)));
  });

  it('lose nothing when a partition moves to another process mid-window', async () => {
    const { topics, groupId } = await io.stageTopics('rebalance');
    const run = groupId.slice(-8);
    const pipeline = testPipeline({
      name: 'moving',
      ids: [`move-${run}-*`],
      window: { type: 'tumbling', sizeMs: 60_000, graceMs: 2_000, idleTimeoutMs: 4_000 },
      features: { temp: ['count', 'mean', 'std'], vib: ['max', 'last'] },
    });
    const readings = fleetReadings(`move-${run}`, 12, 600);
    const expected = (await offlineVectors(pipeline, readings)).vectors;
    const secondRegistry = createRegistry();
    const start = (registry = createRegistry()) =>
      startFeatureStage(config, { logger, registry, pipelines: [pipeline], groupId, topics });

    const half = Math.floor(readings.length / 2);
    await io.produceReadings(readings.slice(0, half / 2), topics.input);
    const first = await start();
    while (first.processed() < half / 2) await new Promise((r) => setTimeout(r, 50));

    // A second process joins: partitions move to it mid-window, and it
    // rebuilds their windows from the first one's checkpoints.
    const second = await start(secondRegistry);
    stages.push(second);
    await io.produceReadings(readings.slice(half / 2, half), topics.input);
    while (first.processed() + second.processed() < half) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(second.processed()).toBeGreaterThan(0);
    // The first one leaves: the second one takes every partition back.
    await first.stop();
    await io.produceReadings(readings.slice(half), topics.input);

    const streamed = await io.collect<FeatureVectorRecord>('features', {
      topic: topics.features,
      keep: () => true,
      enough: distinctAtLeast(expected.length, (r) => vectorId(r.value)),
      timeoutMs: 60_000,
    });
    // The second process rebuilt windows it took over by replaying readings.
    const metrics = await secondRegistry.getSingleMetricAsString('smp_features_replayed_total');
    expect(Number(/ (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    const byId = new Map(expected.map((v) => [vectorId(v), v]));
    const seen = new Set(streamed.map((r) => vectorId(r.value)));
    expect([...seen].sort()).toEqual([...byId.keys()].sort());
    for (const { value } of streamed)
      expect(vectorContent(value)).toEqual(byId.get(vectorId(value)));
  });
});
