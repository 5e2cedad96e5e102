import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildProgram } from '../../../cli';
import { fromRoot } from '../../../lib/package-root';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  restart?: string;
}

const file = fromRoot('docker-compose.yml');
const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const stages = ['gateway', 'features', 'sink'];

/**
 * No Docker engine runs where the tests do, so the deployment file is checked
 * for what `docker compose up` would trip over: dependencies, health checks,
 * images, ports, mounted files, and commands the image actually has.
 */
describe('docker-compose.yml', () => {
  it('has the servers, one service per pipeline stage, Prometheus and Grafana', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'kafka',
        'registry',
        'timescaledb',
        'setup',
        ...stages,
        'prometheus',
        'grafana',
      ]),
    );
  });

  it('pins every third-party image to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.image).toBeDefined();
      if (service.build === undefined && !service.image!.startsWith('smart-maintenance-pipeline')) {
        expect(`${name}: ${service.image}`).toMatch(/:[0-9v][\w.-]*$/);
      }
    }
  });

  it('gives every long-running service a health check and a restart policy', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'setup') continue;
      expect(`${name}: ${JSON.stringify(service.healthcheck?.test ?? null)}`).not.toMatch(
        /: null$/,
      );
      expect(service.restart).toBe('unless-stopped');
    }
  });

  it('starts services in order of health, on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency]).toBeDefined();
        const expected =
          dependency === 'setup' ? 'service_completed_successfully' : 'service_healthy';
        expect(`${name} -> ${dependency}: ${condition}`).toBe(
          `${name} -> ${dependency}: ${expected}`,
        );
        if (expected === 'service_healthy') expect(services[dependency]!.healthcheck).toBeDefined();
      }
    }
    for (const stage of stages)
      expect(Object.keys(services[stage]!.depends_on ?? {})).toContain('setup');
  });

  it('runs only commands the smp CLI has', () => {
    const commands = buildProgram().commands.map((c) => c.name());
    for (const name of ['setup', ...stages]) {
      expect(commands).toContain(services[name]!.command![0]);
    }
  });

  it('publishes each host port once', () => {
    const hostPorts = Object.values(services).flatMap((s) =>
      (s.ports ?? []).map((p) => p.split(':')[0]),
    );
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('mounts files that exist and volumes that are declared', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./'))
          expect(existsSync(path.join(path.dirname(file), source))).toBe(true);
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });

  it('points every stage at the servers by their service names', () => {
    for (const name of ['setup', ...stages]) {
      const env = services[name]!.environment!;
      expect(env.KAFKA_BROKERS).toBe('kafka:29092');
      expect(env.SCHEMA_REGISTRY_URL).toMatch(/^http:\/\/registry:8080\/apis\/ccompat\/v7$/);
      expect(env.DATABASE_URL).toMatch(/@timescaledb:5432\/smp$/);
    }
  });

  it('scrapes every stage from Prometheus', () => {
    const prometheus = readFileSync(fromRoot('infra', 'prometheus', 'prometheus.yml'), 'utf8');
    for (const stage of stages) expect(prometheus).toMatch(new RegExp(`'${stage}:\\d+'`));
  });

  const composeBinary = process.env.SMP_TEST_COMPOSE_BIN;
  (composeBinary ? it : it.skip)('is accepted by `docker compose config`', () => {
    const result = spawnSync(composeBinary!, ['-f', file, 'config', '--quiet'], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
