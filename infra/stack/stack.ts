import path from 'node:path';
import type { Config } from '../../lib/config';
import { SmpError } from '../../lib/errors';
import { KafkaService } from './kafka-service';
import { PostgresService } from './postgres-service';
import { requireJava, requireMaven } from './prerequisites';
import { portHolder, portOpen, waitFor } from './probes';
import { RegistryService } from './registry-service';
import { stackLayout, type Health, type StackService } from './service';

export type UpOutcome = 'started' | 'already running' | 'external';

export interface UpReport {
  readonly service: string;
  readonly outcome: UpOutcome;
  readonly endpoint: string;
  readonly version?: string;
  readonly seconds: number;
}

export interface StatusReport extends Health {
  readonly service: string;
  readonly endpoint: string;
  /** Started by this stack (and its pid), or found running elsewhere. */
  readonly managed: boolean;
  readonly pid?: number;
  readonly logFile: string;
}

/**
 * The three servers in start order: the registry keeps its schemas in
 * PostgreSQL, and nothing needs Kafka before Kafka.
 */
export function stackServices(config: Config): StackService[] {
  const layout = stackLayout(config);
  return [
    new PostgresService(config, layout),
    new KafkaService({ bootstrap: config.kafkaBrokers[0]!, dir: layout.dir('kafka') }),
    new RegistryService(config, layout.dir('registry')),
  ];
}

/**
 * Brings every service up, idempotently. A service that already answers at
 * its configured endpoint is used as it is, whether this stack started it
 * or not; only services on this machine are ever started.
 */
export async function stackUp(
  config: Config,
  onReport: (report: UpReport) => void = () => undefined,
): Promise<UpReport[]> {
  const services = stackServices(config);
  const reports: UpReport[] = [];
  let checkedJava = false;

  for (const service of services) {
    const began = Date.now();
    const report = (outcome: UpOutcome, health: Health) => {
      const entry = {
        service: service.name,
        outcome,
        endpoint: service.endpoint,
        version: health.version,
        seconds: (Date.now() - began) / 1000,
      };
      reports.push(entry);
      onReport(entry);
    };

    const health = await service.probe();
    if (health.healthy) {
      report(service.ownPid() ? 'already running' : 'external', health);
      continue;
    }
    if (service.ownPid()) {
      // Started by an earlier `up` that is still starting, or busy recovering.
      report('already running', await waitHealthy(service));
      continue;
    }
    if (!service.local) {
      throw new SmpError(
        'SMP_STACK_START_FAILED',
        `${service.name} at ${service.endpoint} does not answer (${health.detail}) and is ` +
          'not on this machine, so the stack cannot start it',
      );
    }
    if (service.name !== 'postgres' && !checkedJava) {
      requireJava();
      requireMaven();
      checkedJava = true;
    }
    await assertPortFree(service);
    await service.install();
    await service.start();
    report('started', await service.probe());
  }
  return reports;
}

/** Stops what this stack started, in reverse order; returns what it stopped. */
export async function stackDown(config: Config): Promise<string[]> {
  const stopped: string[] = [];
  for (const service of stackServices(config).reverse()) {
    if (service.ownPid()) {
      await service.stop();
      stopped.push(service.name);
    }
  }
  return stopped;
}

export async function stackStatus(config: Config): Promise<StatusReport[]> {
  return Promise.all(
    stackServices(config).map(async (service) => {
      const pid = service.ownPid();
      return {
        service: service.name,
        endpoint: service.endpoint,
        managed: pid !== undefined,
        pid,
        logFile: path.relative(process.cwd(), service.logFile),
        ...(await service.probe()),
      };
    }),
  );
}

function waitHealthy(service: StackService): Promise<Health> {
  return waitFor(
    service.name,
    async () => {
      const health = await service.probe();
      return health.healthy ? health : undefined;
    },
    { timeoutMs: 120_000 },
  );
}

async function assertPortFree(service: StackService): Promise<void> {
  if (service.ownPid()) return;
  if (await portOpen('127.0.0.1', service.port)) {
    throw new SmpError(
      'SMP_STACK_PORT_IN_USE',
      `port ${service.port}, needed by ${service.name}, is in use by ${portHolder(service.port)}, ` +
        `which does not answer as ${service.name}; stop it or point the setting for ` +
        `${service.name} at another port`,
    );
  }
}
