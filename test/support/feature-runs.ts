import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../lib/package-root';
import type { PipelineDefinition } from '../../pipelines';
import { runOffline, type Reading } from '../../processors/features';
import type { FeatureVectorRecord } from './kafka-io';
import { seededRandom } from './random';

/**
 * Deterministic telemetry for stream tests: per asset one reading a
 * second, with readings swapped out of order, sent twice, and a few sent
 * long after their window closed. Assets are interleaved as a fleet would
 * send them.
 */
export function fleetReadings(
  prefix: string,
  assets: number,
  perAsset: number,
  seed = 1,
): Reading[] {
  const random = seededRandom(seed);
  const base = Date.UTC(2026, 5, 1);
  const streams: Reading[][] = [];
  for (let a = 0; a < assets; a++) {
    const assetId = `${prefix}-${a}`;
    const list: Reading[] = [];
    for (let i = 0; i < perAsset; i++) {
      const metrics: Record<string, number> = {
        temp: Math.round((50 + 10 * Math.sin(i / 40 + a) + random() * 2) * 1000) / 1000,
      };
      if (i % 7 !== 3) metrics.vib = Math.round(random() * 5000) / 1000;
      list.push({ assetId, ts: base + i * 1000, metrics, tags: {} });
      if (i % 131 === 5) list.push(list[list.length - 1]!);
      if (i % 499 === 400) list.push({ assetId, ts: base + (i - 20) * 1000, metrics, tags: {} });
    }
    for (let i = 0; i + 1 < list.length; i += 97) [list[i], list[i + 1]] = [list[i + 1]!, list[i]!];
    streams.push(list);
  }
  const out: Reading[] = [];
  for (let i = 0; streams.some((s) => i < s.length); i++) {
    for (const s of streams) if (i < s.length) out.push(s[i]!);
  }
  return out;
}

/** What the offline mode computes for the readings: the expected stream output. */
export async function offlineVectors(
  pipeline: PipelineDefinition,
  readings: readonly Reading[],
): Promise<{ vectors: Omit<FeatureVectorRecord, 'emittedAt'>[]; late: unknown[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smp-offline-'));
  const input = path.join(dir, 'readings.ndjson');
  writeFileSync(input, readings.map((r) => JSON.stringify(r)).join('\n'));
  const out = path.join(dir, 'vectors.ndjson');
  const late = path.join(dir, 'late.ndjson');
  await runOffline({ pipeline, input, out, lateOut: late });
  return { vectors: readNdjson(out), late: readNdjson(late) };
}

function readNdjson<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

/** `smp features` as a child process, for tests that kill it. */
export function spawnFeatureStage(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [fromRoot('bin', 'smp.js'), 'features'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}
