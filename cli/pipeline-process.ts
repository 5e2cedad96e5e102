import type { Config } from '../lib/config';
import type { Logger } from '../lib/log';
import type { Registry } from '../lib/metrics';
import { setUp } from '../lib/setup';
import { startApiGateway, type RunningGateway } from '../gateway';
import { defaultPipelinesLocation, pipelinesOrThrow } from '../pipelines';
import { startFeatureStage, type FeatureStage } from '../processors/features';
import { startSink, type RunningSink } from '../processors/sink';

export interface PipelineProcessOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  /** Run `smp setup` first (topics, schemas, migrations). */
  readonly setup?: boolean;
  /** Lines for the person watching, such as what setup did. */
  readonly print?: (line: string) => void;
}

export interface PipelineProcess {
  readonly registry: Registry;
  readonly gateway: RunningGateway;
  readonly features: FeatureStage;
  readonly sink: RunningSink;
  /** Rejects when a stage fails for good. */
  readonly failed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * Every stage in one process, sharing one metrics registry: the gateway
 * (ingest and query routes) serves `/metrics` and a `/readyz` that covers
 * the feature stage and the sink too. Stages start downstream first, so
 * that nothing is accepted before something stores it, and stop in the
 * opposite order: the gateway stops taking readings, then the feature
 * stage writes what it holds, then the sink commits its last batch.
 */
export async function startPipelineProcess(
  config: Config,
  options: PipelineProcessOptions,
): Promise<PipelineProcess> {
  const { logger, registry } = options;
  if (options.setup ?? true) await setUp(config, options.print ?? (() => undefined));

  const sink = await startSink(config, { logger: logger.child({ stage: 'sink' }), registry });
  const pipelines = pipelinesOrThrow(defaultPipelinesLocation(config));
  const features = await startFeatureStage(config, {
    logger,
    registry,
    pipelines,
  }).catch(async (error: unknown) => {
    await sink.stop();
    throw error;
  });

  const gateway = await startApiGateway(config, {
    logger: logger.child({ stage: 'gateway' }),
    registry,
    readiness: [...features.readiness, ...sink.readiness],
  }).catch(async (error: unknown) => {
    await features.stop();
    await sink.stop();
    throw error;
  });

  const failed = features.done.then(() => new Promise<never>(() => undefined));
  return {
    registry,
    gateway,
    features,
    sink,
    failed,
    stop: async () => {
      await gateway.close();
      await features.stop();
      await sink.stop();
    },
  };
}
