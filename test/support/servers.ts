import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../lib/config';
import { KafkaService, PostgresService, stackLayout } from '../../infra/stack';

/**
 * Servers of a test's own, for tests that stop, kill or restart them: a
 * broker or a database cluster that nothing else uses, on free ports, in a
 * temporary folder, reusing the jars and binaries of the shared stack.
 */
export interface PrivateKafka {
  readonly bootstrap: string;
  readonly service: KafkaService;
  /** The configuration of the shared stack, pointed at this broker. */
  readonly config: Config;
  dispose(): Promise<void>;
}

export async function startPrivateKafka(): Promise<PrivateKafka> {
  const shared = loadConfig();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smp-kafka-'));
  const [port, controllerPort] = await freePorts(2);
  const bootstrap = `localhost:${port}`;
  const service = new KafkaService({
    bootstrap,
    dir,
    controllerPort,
    heapMb: 512,
    libsDir: path.join(stackLayout(shared).dir('kafka'), 'libs'),
  });
  await service.install();
  await service.start();
  return {
    bootstrap,
    service,
    config: { ...shared, kafkaBrokers: [bootstrap] },
    dispose: async () => {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  readonly url: string;
  readonly service: PostgresService;
  readonly config: Config;
  dispose(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const shared = loadConfig();
  const stackDir = mkdtempSync(path.join(os.tmpdir(), 'smp-pg-'));
  // As root, PostgreSQL runs as the postgres user, which must enter the folder.
  chmodSync(stackDir, 0o755);
  const [port] = await freePorts(1);
  const url = `postgres://smp:smp@127.0.0.1:${port}/smp`;
  const config: Config = { ...shared, databaseUrl: url, stackDir };
  const service = new PostgresService(config, stackLayout(config));
  await service.install();
  await service.start();
  return {
    url,
    service,
    config,
    dispose: async () => {
      await service.stop();
      rmSync(stackDir, { recursive: true, force: true });
    },
  };
}

/** Ports the kernel hands out as free right now (and a neighbour for Kafka's controller). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      return new Promise<net.Server>((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    }),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
