import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../lib/config';
import { createPool, type Pool } from '../../lib/db';
import { createLogger } from '../../lib/log';
import { createRegistry } from '../../lib/metrics';
import { setUp } from '../../lib/setup';
import { Fleet, batchesOf, runLoad, type SimulatedReading } from '../../lib/simulator';
import { ApiKeyStore } from '../../gateway';
import { RunGroups } from '../demo-groups';
import { startPipelineProcess, type PipelineProcess } from '../pipeline-process';

const ASSETS = 12;
const SPAN_MS = 2 * 60 * 60 * 1000;
const INTERVAL_MS = 30_000;
const WAIT_MS = 120_000;

/**
 * A finite end-to-end run: every stage in this process, a simulated fleet
 * of two hours sent through the gateway, then what reached the database,
 * with a look at the bad input, duplicates and late data the pipeline had to
 * deal with on the way. Its consumer groups are its own and start at the
 * end of the topics, so it counts only what it sent, runs beside
 * `npm start`, and leaves no groups behind.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('a finite end-to-end run on generated telemetry; prints what happened')
    .action(async () => {
      // Quiet assets' last windows close after this idle time instead of 10 minutes.
      process.env.FLEET_IDLE_TIMEOUT ??= '10s';
      const run = Date.now().toString(36);
      const config: Config = {
        ...loadConfig(),
        gatewayPort: 0,
        featuresGroupId: `smp-demo-${run}-features`,
        sinkGroupId: `smp-demo-${run}-sink`,
      };
      const logger = createLogger({ level: 'warn', name: 'smp-demo' });
      const say = (line: string) => console.log(line);

      say('setting up topics, schemas and tables, and starting every stage...');
      await setUp(config, say);
      const groups = new RunGroups(config, logger);
      await groups.startAtEnd();
      const pipeline = await startPipelineProcess(config, {
        logger,
        registry: createRegistry(),
        setup: false,
      });
      const pool = createPool(config, { applicationName: 'smp-demo', max: 2 });
      try {
        await demonstrate(pipeline, pool, say);
      } finally {
        await pipeline.stop();
        await pool.end();
        await groups.remove();
      }
    });
}

async function demonstrate(pipeline: PipelineProcess, pool: Pool, say: (l: string) => void) {
  const keys = new ApiKeyStore(pool);
  const key = await keys.create(`demo ${new Date().toISOString()}`, [
    'data:ingest',
    'reports:generate',
  ]);
  const url = `http://127.0.0.1:${pipeline.gateway.port}`;
  try {
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const start = end - SPAN_MS;
    const fleet = new Fleet({
      assets: ASSETS,
      seed: 'demo',
      start,
      intervalMs: INTERVAL_MS,
      failingShare: 0.25,
      horizonMs: SPAN_MS,
      tsFormat: 'epoch',
    });
    // Asset ids of this run alone, so the counts below are this run's.
    const tag = `demo-${(end / 60_000).toString(36).slice(-4)}`;
    const readings = [...until(fleet.readings(), end)].map((r) => ({
      ...r,
      assetId: `${tag}-${r.assetId}`,
    }));
    say(`\nsending ${readings.length} readings of ${ASSETS} assets (two hours, one every 30 s)...`);
    // One request at a time: a producer that wants its assets' readings to
    // arrive in order does not race its own batches.
    const sent = await runLoad({
      url,
      apiKey: key.key,
      batches: batchesOf(readings, 200),
      concurrency: 1,
    });
    say(
      `gateway accepted ${sent.readingsAccepted} readings (${Math.round(sent.achievedRate)}/s, p99 ${sent.latency.p99Ms.toFixed(0)} ms)`,
    );

    const ugly = await post(url, key.key, [
      readings[0],
      { ...readings[1]!, metrics: { temp_c: 'hot' } },
    ]);
    say(
      `a batch with one bad reading: ${ugly.status}, ${JSON.stringify(ugly.body.error?.details?.[0])}; nothing of it was produced`,
    );
    const again = await post(url, key.key, readings.slice(0, 200));
    say(`the first batch sent again: ${again.status}; no stored row doubles`);
    const late = await post(url, key.key, [{ ...readings[0]!, ts: start - 3_600_000 }]);
    say(
      `a reading an hour older than its asset's windows: ${late.status}, it goes to telemetry.late.v1`,
    );

    const assetIds = fleet.assets.map((a) => `${tag}-${a.assetId}`);
    say('\nwaiting for the feature stage and the sink to catch up...');
    const stored = await waitForStorage(pool, assetIds, start, end, sent.readingsAccepted);
    say(
      `stored ${stored.readings} readings (${stored.values} metric values) and ${stored.vectors} feature vectors`,
    );
    const setAside = await metricTotal(pipeline, 'smp_features_late_total');
    say(
      `late readings set aside: ${setAside} (the re-sent copies, whose windows had closed, and the old one)`,
    );
    for (const asset of fleet.assets.filter((a) => a.failureAt !== null)) {
      const when = `${iso(asset.degradationStart)} and failed at ${iso(asset.failureAt)}`;
      say(`  ${tag}-${asset.assetId} degraded from ${when}`);
    }

    const failing = fleet.assets.find((a) => a.failureAt !== null) ?? fleet.assets[0]!;
    const worst = `${tag}-${failing.assetId}`;
    const path = `/v1/reports/assets/${encodeURIComponent(worst)}`;
    const response = await fetch(`${url}${path}?from=${start}&to=${end}`, {
      headers: { 'x-api-key': key.key },
    });
    const report = (await response.json()) as AssetReportBody;
    say(`\nreport of ${worst} (GET ${path}):`);
    for (const m of report.readings?.metrics ?? []) {
      const stats = `min ${m.min.toFixed(2)}, mean ${m.mean.toFixed(2)}, max ${m.max.toFixed(2)}`;
      say(`  ${m.metric.padEnd(14)} ${String(m.count).padStart(4)} values, ${stats}`);
    }
    say(`  as a page while \`npm start\` runs: http://localhost:8080${path}?format=html`);
    say('\ndone.');
  } finally {
    await keys.revoke(key.id);
  }
}

interface AssetReportBody {
  readings?: {
    metrics: { metric: string; count: number; min: number; mean: number; max: number }[];
  };
}

/** The sum of a counter over its labels, from the process's own registry. */
async function metricTotal(pipeline: PipelineProcess, name: string): Promise<number> {
  const metric = pipeline.registry.getSingleMetric(name);
  const values = metric ? (await metric.get()).values : [];
  return values.reduce((sum, v) => sum + v.value, 0);
}

function* until(readings: Iterable<SimulatedReading>, end: number): Generator<SimulatedReading> {
  for (const reading of readings) {
    if (Number(reading.ts) >= end) return;
    yield reading;
  }
}

async function post(url: string, apiKey: string, body: unknown) {
  const res = await fetch(`${url}/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { error?: { details?: unknown[] } } };
}

interface Stored {
  readings: number;
  values: number;
  vectors: number;
}

/** How long feature vectors must stay unchanged: past the idle close of the quiet assets. */
const SETTLE_MS = 15_000;

/** Polls until every accepted reading is stored and feature vectors stop coming. */
async function waitForStorage(
  pool: Pool,
  assetIds: string[],
  start: number,
  end: number,
  accepted: number,
): Promise<Stored> {
  const deadline = Date.now() + WAIT_MS;
  let previous = -1;
  let unchangedSince = Date.now();
  for (;;) {
    const { rows } = await pool.query<{ readings: number; metric_values: number; vectors: number }>(
      `SELECT
         (SELECT count(*) FROM reading_meta WHERE asset_id = ANY($1) AND ts >= $2 AND ts < $3) AS readings,
         (SELECT count(*) FROM readings WHERE asset_id = ANY($1) AND ts >= $2 AND ts < $3) AS metric_values,
         (SELECT count(*) FROM feature_vectors WHERE asset_id = ANY($1) AND window_end > $2) AS vectors`,
      [assetIds, new Date(start), new Date(end)],
    );
    const row = rows[0]!;
    const now = { readings: row.readings, values: row.metric_values, vectors: row.vectors };
    if (now.vectors !== previous) unchangedSince = Date.now();
    const settled =
      now.readings >= accepted && now.vectors > 0 && Date.now() - unchangedSince >= SETTLE_MS;
    if (settled) return now;
    if (Date.now() > deadline) {
      throw new Error(
        `after ${WAIT_MS / 1000} s only ${now.readings} of ${accepted} readings and ${now.vectors} feature vectors were stored`,
      );
    }
    previous = now.vectors;
    await sleep(3_000);
  }
}

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().slice(11, 16);
}
