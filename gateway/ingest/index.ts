import express from 'express';
import type { Config } from '../../lib/config';
import { SmpError } from '../../lib/errors';
import { createKafka, safeProducerConfig } from '../../lib/kafka/client';
import { topics } from '../../lib/kafka/topics';
import type { Logger } from '../../lib/log';
import type { Registry } from '../../lib/metrics';
import type { ReadinessCheck } from '../../lib/readiness';
import { AvroSerde } from '../../lib/serde/avro-serde';
import type { RouteMount } from '../app';
import { startGateway, type GatewayOptions, type RunningGateway } from '../server';
import { authenticate, requireScope } from '../auth';
import { ingestMetrics } from './ingest-metrics';
import { limitsFrom, type IngestLimits } from './limits';
import { bodyBudget } from './body-budget';
import { bodyFormat } from './parse-body';
import { RateLimiter, type RatePolicy } from './rate-limiter';
import { ReadingsHandler } from './readings-handler';
import { ReadingsSender } from './readings-sender';

// What other folders may use: the validation rules and event-time parsing
// (a replay or import tool checks readings the same way) besides the route.
export { validateReadings, type Reading, type Problem } from './validate-readings';
export { parseEventTime } from './event-time';
export { limitsFrom, type IngestLimits } from './limits';

/** The readings route with the producer behind it. */
export interface Ingest {
  readonly route: RouteMount;
  readonly readiness: readonly ReadinessCheck[];
  /** Connects the producer; the route answers 503 until it is connected. */
  start(): Promise<void>;
  /** Waits for accepted batches to be acknowledged, then disconnects. */
  close(): Promise<void>;
}

export interface IngestOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  /** Where readings go; the contract topic unless a benchmark or test says otherwise. */
  readonly topic?: string;
}

// Several waiting batches are sent as one request up to this size. Far
// below Kafka's 1 MiB message limit: kafkajs groups a send's records by
// partition in time quadratic in their number, so larger sends cost more
// CPU than the round trips they save.
const MAX_SEND_BYTES = 256 * 1024;

/**
 * `POST /v1/readings`: the key must hold `data:ingest`; then the content
 * type is checked and, while Kafka is stalled or the in-flight budget is
 * spent, the request is shed before its body is read.
 */
export function createIngest(config: Config, options: IngestOptions): Ingest {
  const limits = limitsFrom(config);
  const { key, global } = ratePolicies(config, limits);
  const metrics = ingestMetrics(options.registry);
  const logger = options.logger.child({ component: 'ingest' });
  const kafka = createKafka(config, { stage: 'gateway', logger, retries: 2 });
  const sender = new ReadingsSender(() => kafka.producer(safeProducerConfig()), {
    topic: options.topic ?? topics.readings,
    deadlineMs: config.gatewayProduceTimeoutMs,
    maxInFlightBytes: config.gatewayMaxInFlightBytes,
    maxSendBytes: MAX_SEND_BYTES,
    ackTimeoutMs: config.kafkaRequestTimeoutMs,
    logger,
    metrics,
  });
  const handler = new ReadingsHandler({
    limits,
    limiter: new RateLimiter(key, global),
    sender,
    serde: new AvroSerde({
      registryUrl: config.schemaRegistryUrl,
      autoRegister: config.schemaAutoRegister,
    }),
    metrics,
    logger,
  });
  const readBody = express.raw({ type: () => true, limit: limits.maxBodyBytes, inflate: true });

  const route: RouteMount = (app, { keyStore }) => {
    app.post(
      '/v1/readings',
      authenticate(keyStore),
      requireScope('data:ingest'),
      (req, _res, next) => {
        bodyFormat(req.get('content-type'));
        sender.checkAccepting();
        next();
      },
      bodyBudget(config.gatewayMaxReceivingBytes, limits.maxBodyBytes),
      readBody,
      (req, res) => handler.handle(req, res, bodyFormat(req.get('content-type'))),
    );
  };

  return {
    route,
    readiness: [sender.readiness()],
    start: () => sender.start(),
    close: () => sender.close(),
  };
}

function ratePolicies(
  config: Config,
  limits: IngestLimits,
): { key: RatePolicy; global: RatePolicy } {
  const key = { ratePerSecond: config.gatewayKeyRatePerSecond, burst: config.gatewayKeyBurst };
  const global = {
    ratePerSecond: config.gatewayGlobalRatePerSecond,
    burst: config.gatewayGlobalBurst,
  };
  const tooSmall = (policy: RatePolicy, name: string) =>
    policy.ratePerSecond > 0 && policy.burst < limits.maxBatchReadings
      ? [
          `${name} (${policy.burst}) is below SMP_GATEWAY_MAX_BATCH_READINGS (${limits.maxBatchReadings})`,
        ]
      : [];
  const problems = [
    ...tooSmall(key, 'SMP_GATEWAY_KEY_BURST'),
    ...tooSmall(global, 'SMP_GATEWAY_GLOBAL_BURST'),
  ];
  if (problems.length > 0) {
    throw new SmpError(
      'SMP_CONFIG_INVALID',
      `invalid configuration: ${problems.join('; ')}; the largest batches could never pass`,
    );
  }
  return { key, global };
}

/**
 * The gateway with the readings route: the producer connects first, so
 * that a gateway that answers is normally one that can produce.
 */
export async function startIngestGateway(
  config: Config,
  options: GatewayOptions & { readonly topic?: string },
): Promise<RunningGateway> {
  const ingest = createIngest(config, options);
  await ingest.start();
  try {
    return await startGateway(config, {
      ...options,
      routes: [ingest.route, ...(options.routes ?? [])],
      readiness: [...ingest.readiness, ...(options.readiness ?? [])],
      onClose: async () => {
        await ingest.close();
        await options.onClose?.();
      },
    });
  } catch (error) {
    await ingest.close();
    throw error;
  }
}
