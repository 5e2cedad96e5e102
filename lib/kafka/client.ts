import { Kafka, logLevel, type LogEntry, type ProducerConfig } from 'kafkajs';
import type { Config } from '../config';
import type { Logger } from '../log';
import { JavaCompatiblePartitioner } from './partitioner';

export interface KafkaClientOptions {
  /** The stage name, appended to the configured client id. */
  readonly stage: string;
  readonly logger: Logger;
  /** Attempts per request before kafkajs gives up; stages that must never give up pass more. */
  readonly retries?: number;
}

/**
 * A kafkajs client whose log lines go through the process's pino logger
 * instead of kafkajs's own console output.
 */
export function createKafka(config: Config, options: KafkaClientOptions): Kafka {
  const logger = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: `${config.kafkaClientId}-${options.stage}`,
    brokers: [...config.kafkaBrokers],
    connectionTimeout: config.kafkaConnectTimeoutMs,
    requestTimeout: config.kafkaRequestTimeoutMs,
    retry: { retries: options.retries ?? 5, initialRetryTime: 200, maxRetryTime: 5000 },
    logLevel: logLevel.INFO,
    logCreator: () => (entry) => forward(logger, entry),
  });
}

/**
 * Producer settings every stage uses (sends pass acks: -1 themselves):
 * idempotence so that retries inside kafkajs never write a record twice,
 * and the Java client's partitioner so a key lands on the same partition
 * whichever language produced it.
 *
 * An idempotent producer must not give up on a batch half-way, or its
 * sequence numbers and the broker's disagree; so it retries without limit,
 * and a caller that cannot wait (the gateway) bounds the wait itself.
 */
export function safeProducerConfig(extra: ProducerConfig = {}): ProducerConfig {
  return {
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: JavaCompatiblePartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2000 },
    ...extra,
  };
}

// kafkajs logs at ERROR every failed attempt it is about to retry (a
// coordinator still loading, a broker restarting). Whether an operation
// finally failed is for the caller to log, so these become warnings.
function forward(logger: Logger, entry: LogEntry): void {
  const { message, ...fields } = entry.log;
  const context = { namespace: entry.namespace, ...fields };
  switch (entry.level) {
    case logLevel.ERROR:
    case logLevel.WARN:
      logger.warn(context, message);
      break;
    case logLevel.INFO:
      logger.info(context, message);
      break;
    default:
      logger.debug(context, message);
  }
}
