import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { Fleet, batchesOf, runLoad, type FleetOptions } from '../../lib/simulator';
import { printReport, progressLine, tooManyFailed } from '../load-report';
import { numberOption as number, timeOption } from '../options';
import { EXIT_FAILURE } from '../output';

interface SimulateOptions {
  assets: string;
  rate: string;
  duration?: string;
  readings?: string;
  batch: string;
  seed: string;
  interval?: string;
  start?: string;
  failing: string;
  concurrency: string;
  format: 'json' | 'ndjson';
  tsFormat: 'iso' | 'epoch';
  apiKey?: string;
  url?: string;
  maxErrorRate: string;
  truth?: string;
  json?: boolean;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('send generated fleet telemetry to the gateway at a target rate')
    .option('--assets <n>', 'assets in the fleet', '100')
    .option('--rate <readings/s>', 'target readings per second (0 = as fast as possible)', '1000')
    .option('--duration <seconds>', 'run this long (at the target rate)')
    .option('--readings <n>', 'send exactly this many readings, then stop')
    .option('--batch <n>', 'readings per request', '100')
    .option('--seed <seed>', 'seed of the fleet; the same seed and start give the same data', '1')
    .option('--interval <seconds>', "event time between an asset's readings (default: real time)")
    .option('--start <time>', 'event time of the first reading (default: so the run ends now)')
    .option('--failing <share>', 'share of assets that degrade and fail', '0.1')
    .option('--concurrency <n>', 'requests in flight at once', '4')
    .option('--format <format>', 'json or ndjson bodies', 'json')
    .option('--ts-format <format>', 'iso or epoch timestamps', 'iso')
    .option('--api-key <key>', 'API key with data:ingest (default: SMP_API_KEY)')
    .option('--url <url>', 'gateway base URL (default: http://localhost:GATEWAY_PORT)')
    .option('--max-error-rate <share>', 'exit 1 when more readings than this share fail', '0.01')
    .option('--truth <file>', 'write each asset and its degradation and failure times as JSON')
    .option('--json', 'print the final report as one JSON line')
    .action(async (options: SimulateOptions) => {
      const config = loadConfig();
      const plan = planRun(options, Date.now());
      const apiKey = options.apiKey ?? config.apiKey;
      if (!apiKey) throw new Error('an API key is needed: pass --api-key or set SMP_API_KEY');

      const fleetOptions: FleetOptions = {
        assets: plan.assets,
        seed: options.seed,
        start: plan.start,
        intervalMs: plan.intervalMs,
        failingShare: number('failing', options.failing, 0, 1),
        horizonMs: plan.horizonMs,
        tsFormat: options.tsFormat,
      };
      const fleet = new Fleet(
        options.start === undefined && Number.isFinite(plan.readings)
          ? endingNow(fleetOptions, plan.readings, Date.now())
          : fleetOptions,
      );
      if (options.truth) writeFileSync(options.truth, `${JSON.stringify(fleet.assets, null, 2)}\n`);

      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const timeout = plan.durationMs ? setTimeout(onSignal, plan.durationMs) : undefined;
      try {
        const report = await runLoad({
          url: options.url ?? `http://localhost:${config.gatewayPort}`,
          apiKey,
          batches: batchesOf(fleet.readings(), plan.batch, plan.readings),
          ratePerSecond: plan.rate,
          concurrency: number('concurrency', options.concurrency, 1, 1024),
          format: options.format,
          signal: abort.signal,
          onProgress: (r) => process.stderr.write(`${progressLine(r)}\n`),
        });
        printReport(report, options.json ?? false);
        const limit = number('max-error-rate', options.maxErrorRate, 0, 1);
        if (tooManyFailed(report, limit)) process.exitCode = EXIT_FAILURE;
      } finally {
        clearTimeout(timeout);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

export interface RunPlan {
  readonly assets: number;
  readonly rate: number;
  readonly batch: number;
  readonly readings: number;
  readonly durationMs: number | undefined;
  readonly intervalMs: number;
  readonly start: number;
  readonly horizonMs: number | undefined;
}

/**
 * Turns the options into a timeline. By default event time runs at wall
 * speed (each asset reports every assets/rate seconds) and a finite run is
 * placed so that its last reading is about now; `--interval` compresses
 * days into minutes, for failures that happen within a demo.
 */
export function planRun(options: SimulateOptions, now: number): RunPlan {
  const assets = number('assets', options.assets, 1, 1_000_000);
  const rate = number('rate', options.rate, 0, 1e9);
  const batch = number('batch', options.batch, 1, 1_000_000);
  const durationMs =
    options.duration === undefined
      ? undefined
      : number('duration', options.duration, 0, 1e9) * 1000;
  let readings =
    options.readings === undefined ? Infinity : number('readings', options.readings, 0, 1e12);
  if (durationMs !== undefined && rate > 0)
    readings = Math.min(readings, Math.ceil((rate * durationMs) / 1000));

  if (rate === 0 && !Number.isFinite(readings)) {
    throw new Error(
      '--rate 0 (as fast as possible) needs --readings, or event time would run ahead',
    );
  }
  const realTimeMs = rate > 0 ? (assets / rate) * 1000 : 1000;
  const intervalMs =
    options.interval === undefined
      ? realTimeMs
      : number('interval', options.interval, 0.001, 1e9) * 1000;
  const steps = Number.isFinite(readings) ? Math.ceil(readings / assets) : undefined;
  const span = steps === undefined ? undefined : steps * intervalMs;
  const start =
    options.start !== undefined
      ? timeOption('start', options.start)
      : Math.round(now - (span ?? 0));
  return { assets, rate, batch, readings, durationMs, intervalMs, start, horizonMs: span };
}

/**
 * Places a finite run so that its last reading is stamped now. Failed assets
 * fall silent and sensors drop out, so a run of N readings takes more steps
 * than N / assets; a dry run of the same deterministic fleet counts them,
 * where a guess would stamp the last readings in the future.
 */
function endingNow(options: FleetOptions, readings: number, now: number): FleetOptions {
  let last = 0;
  let count = 0;
  for (const reading of new Fleet({ ...options, start: 0, tsFormat: 'epoch' }).readings()) {
    last = Number(reading.ts);
    if (++count >= readings) break;
  }
  return { ...options, start: now - last };
}
