import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../../lib/config';
import { topics } from '../../../lib/kafka/topics';
import { runCli } from '../../support/cli';

const config = loadConfig();

describe('the shared local stack, seen from outside', () => {
  it('reports Kafka 4, Apicurio and PostgreSQL healthy with versions and endpoints', async () => {
    const result = await runCli(['stack', 'status', '--json']);
    expect(result.code).toBe(0);
    const statuses = JSON.parse(result.stdout) as {
      service: string;
      healthy: boolean;
      version: string;
      endpoint: string;
    }[];
    const byName = Object.fromEntries(statuses.map((s) => [s.service, s]));
    expect(byName.kafka).toMatchObject({ healthy: true, endpoint: config.kafkaBrokers[0] });
    expect(byName.registry).toMatchObject({ healthy: true, endpoint: config.schemaRegistryUrl });
    expect(byName.postgres).toMatchObject({ healthy: true });
    expect(byName.postgres!.version).toMatch(/^PostgreSQL \d+/);
    expect(byName.postgres!.endpoint).not.toContain(':smp@');
    if (statuses.every((s) => s.version !== 'Kafka')) {
      expect(byName.kafka!.version).toMatch(/^Kafka 4\./);
      expect(byName.registry!.version).toMatch(/^Apicurio Registry 3\./);
    }
  });

  it('changes nothing on a second `stack up`', async () => {
    const result = await runCli(['stack', 'up']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/\bstarted\b/);
    expect(result.stdout).toContain('nothing to do');
  });

  it('shows the six contract topics to an independent client (kcat)', () => {
    const metadata = execFileSync('kcat', ['-b', config.kafkaBrokers[0]!, '-L'], {
      encoding: 'utf8',
    });
    for (const topic of Object.values(topics)) {
      expect(metadata).toContain(`topic "${topic}" with ${config.topicPartitions} partitions`);
    }
  });

  it('lists every contract subject in the registry', async () => {
    const response = await fetch(`${config.schemaRegistryUrl}/subjects`);
    const subjects = (await response.json()) as string[];
    for (const topic of Object.values(topics)) expect(subjects).toContain(`${topic}-value`);
  });

  it('finds no drift on the contract topics and no incompatible schema', async () => {
    const topicsRun = await runCli(['topics']);
    expect(topicsRun.code).toBe(0);
    expect(topicsRun.stdout).not.toContain('drift');
    const schemasRun = await runCli(['schemas', '--check']);
    expect(schemasRun.code).toBe(0);
    expect(schemasRun.stdout).not.toContain('incompatible');
  });

  it('stops at start with a message naming a malformed setting', async () => {
    const result = await runCli(['topics'], { SMP_TOPIC_PARTITIONS: 'many' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SMP_TOPIC_PARTITIONS');
  });
});
