import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../lib/config';
import { SmpError } from '../../lib/errors';
import { stopOnSignal } from '../../lib/lifecycle';
import { createLogger } from '../../lib/log';
import { createRegistry } from '../../lib/metrics';
import { startOpsServer } from '../../lib/ops-endpoints';
import {
  defaultPipelinesLocation,
  pipelinesOrThrow,
  type PipelineDefinition,
} from '../../pipelines';
import { runOffline, startFeatureStage, type InputFormat } from '../../processors/features';
import { timeOption } from '../options';

interface FeatureOptions {
  offline?: boolean;
  pipeline?: string;
  input?: string;
  out: string;
  format?: InputFormat;
  outFormat?: 'ndjson' | 'csv';
  cmapssBase?: string;
  cmapssSubset?: string;
  late?: string;
  skipInvalid?: boolean;
}

export function registerFeatureCommand(program: Command): void {
  program
    .command('features')
    .description('compute windowed features from the readings topic; with --offline, from a file')
    .option('--offline', 'read --input instead of Kafka and write --out')
    .option('--pipeline <names>', 'pipeline name(s), comma-separated, or a definition file')
    .option('--input <file>', 'offline input: .csv, .ndjson or a C-MAPSS .txt file')
    .option('--out <file>', 'offline output (.ndjson or .csv; - for standard output)', '-')
    .option(
      '--format <format>',
      'input format when the extension does not say: csv, ndjson, cmapss',
    )
    .option('--out-format <format>', 'ndjson or csv (default: from the --out extension)')
    .option('--cmapss-base <time>', 'C-MAPSS event time of cycle 0 (default 2000-01-01T00:00:00Z)')
    .option('--cmapss-subset <name>', 'C-MAPSS asset prefix (default: FDxxx from the file name)')
    .option('--late <file>', 'offline: write late readings here as NDJSON')
    .option('--skip-invalid', 'offline: report invalid lines and go on')
    .action(async (options: FeatureOptions) => {
      const config = loadConfig();
      if (options.offline) await offline(config, options);
      else await online(config, options);
    });
}

async function online(config: Config, options: FeatureOptions): Promise<void> {
  const logger = createLogger({ level: config.logLevel, name: 'smp-features' });
  const registry = createRegistry();
  const pipelines = selectPipelines(config, options.pipeline);
  const stage = await startFeatureStage(config, { logger, registry, pipelines });
  const ops =
    config.opsPort > 0
      ? await startOpsServer(config.opsPort, registry, stage.readiness)
      : undefined;
  if (ops) logger.info({ port: ops.port }, 'ops endpoints listening');
  try {
    await Promise.race([stopOnSignal(logger, () => stage.stop()), stage.done]);
  } finally {
    await ops?.close();
  }
}

async function offline(config: Config, options: FeatureOptions): Promise<void> {
  if (!options.pipeline || !options.input) {
    throw new SmpError('SMP_BAD_REQUEST', '--offline needs --pipeline and --input');
  }
  const [pipeline, ...others] = selectPipelines(config, options.pipeline);
  if (!pipeline || others.length > 0) {
    throw new SmpError('SMP_BAD_REQUEST', '--offline takes exactly one pipeline');
  }
  const started = Date.now();
  const summary = await runOffline({
    pipeline,
    input: options.input,
    out: options.out,
    outFormat: options.outFormat ?? (path.extname(options.out) === '.csv' ? 'csv' : 'ndjson'),
    format: options.format,
    cmapssBase:
      options.cmapssBase === undefined ? undefined : timeOption('cmapss-base', options.cmapssBase),
    cmapssSubset: options.cmapssSubset,
    lateOut: options.late,
    skipInvalid: options.skipInvalid,
    onInvalid: (error) => process.stderr.write(`smp: ${error.message} (skipped)\n`),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `${pipeline.name}: ${summary.readings} readings -> ${summary.vectors} feature vectors in ${seconds} s ` +
      `(${summary.late} late, ${summary.duplicates} duplicates, ${summary.invalid} invalid, ` +
      `${summary.unrouted} not selected by the pipeline)\n`,
  );
}

function selectPipelines(config: Config, wanted: string | undefined): PipelineDefinition[] {
  if (wanted && /\.(ya?ml|json)$/.test(wanted)) return pipelinesOrThrow(wanted);
  const all = pipelinesOrThrow(defaultPipelinesLocation(config));
  if (!wanted) return all;
  return wanted.split(',').map((name) => {
    const found = all.find((p) => p.name === name.trim());
    if (!found) {
      const known = all.map((p) => p.name).join(', ');
      throw new SmpError('SMP_BAD_REQUEST', `no pipeline ${name}; known: ${known}`);
    }
    return found;
  });
}
