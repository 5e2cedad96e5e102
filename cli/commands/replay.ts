import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { batchesOf, runLoad } from '../../lib/simulator';
import { cmapssSubset, parseCmapssLine, type Reading } from '../../processors/features';
import { printReport, progressLine, tooManyFailed } from '../load-report';
import { numberOption, timeOption } from '../options';
import { EXIT_FAILURE } from '../output';

interface ReplayOptions {
  file: string;
  base?: string;
  subset?: string;
  units?: string;
  rate: string;
  batch: string;
  concurrency: string;
  apiKey?: string;
  url?: string;
  maxErrorRate: string;
  json?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function registerReplayCommand(program: Command): void {
  const replay = program.command('replay').description('send recorded telemetry to the gateway');

  replay
    .command('cmapss')
    .description(
      'send NASA C-MAPSS rows: unit u becomes asset <subset>-<u>, cycle c event time base + c s',
    )
    .requiredOption('--file <path>', 'a C-MAPSS text file, such as train_FD001.txt')
    .option('--base <time>', 'event time of cycle 0 (default: one day before the replay starts)')
    .option('--subset <name>', 'asset id prefix (default: FDxxx from the file name)')
    .option('--units <list>', 'only these units, such as 1,2,10-20')
    .option('--rate <readings/s>', 'target readings per second (0 = as fast as possible)', '0')
    .option('--batch <n>', 'readings per request', '500')
    .option('--concurrency <n>', 'requests in flight at once; more may reorder an engine', '1')
    .option('--api-key <key>', 'API key with data:ingest (default: SMP_API_KEY)')
    .option('--url <url>', 'gateway base URL (default: http://localhost:GATEWAY_PORT)')
    .option('--max-error-rate <share>', 'exit 1 when more readings than this share fail', '0')
    .option('--json', 'print the final report as one JSON line')
    .action(async (options: ReplayOptions) => {
      const config = loadConfig();
      const apiKey = options.apiKey ?? config.apiKey;
      if (!apiKey) throw new Error('an API key is needed: pass --api-key or set SMP_API_KEY');

      const readings = readCmapss(options, Date.now());
      process.stderr.write(`${options.file}: ${readings.length} readings to send\n`);
      const report = await runLoad({
        url: options.url ?? `http://localhost:${config.gatewayPort}`,
        apiKey,
        batches: batchesOf(readings, numberOption('batch', options.batch, 1, 100_000)),
        ratePerSecond: numberOption('rate', options.rate, 0, 1e9),
        concurrency: numberOption('concurrency', options.concurrency, 1, 1024),
        onProgress: (r) => process.stderr.write(`${progressLine(r)}\n`),
      });
      printReport(report, options.json ?? false);
      const limit = numberOption('max-error-rate', options.maxErrorRate, 0, 1);
      if (tooManyFailed(report, limit)) process.exitCode = EXIT_FAILURE;
    });
}

/**
 * Every reading of the file, read and checked before anything is sent, so
 * that a bad line stops the replay instead of leaving half a file behind.
 */
export function readCmapss(options: ReplayOptions, now: number): Reading[] {
  const subset = options.subset ?? cmapssSubset(path.basename(options.file));
  if (!subset) {
    throw new Error(`cannot tell the subset from ${options.file}; pass --subset, such as FD001`);
  }
  const base = options.base === undefined ? now - DAY_MS : timeOption('base', options.base);
  const units = options.units === undefined ? undefined : unitFilter(options.units);
  const lines = readFileSync(options.file, 'utf8').split('\n');
  const readings: Reading[] = [];
  lines.forEach((text, i) => {
    const reading = parseCmapssLine({ file: options.file, line: i + 1, text }, { base, subset });
    if (reading && (!units || units(unitOf(reading)))) {
      readings.push(reading);
    }
  });
  return readings;
}

function unitOf(reading: Reading): number {
  return Number(reading.assetId.slice(reading.assetId.lastIndexOf('-') + 1));
}

/** `1,2,10-20` as a test on unit numbers. */
function unitFilter(list: string): (unit: number) => boolean {
  const ranges = list.split(',').map((part) => {
    const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (!match) throw new Error(`--units takes numbers and ranges such as 1,2,10-20, not ${part}`);
    const from = Number(match[1]);
    return [from, match[2] === undefined ? from : Number(match[2])] as const;
  });
  return (unit) => ranges.some(([from, to]) => unit >= from && unit <= to);
}
