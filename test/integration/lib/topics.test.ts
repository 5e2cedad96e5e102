import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { loadConfig } from '../../../lib/config';
import { createKafka } from '../../../lib/kafka/client';
import { ensureTopics, type TopicSpec } from '../../../lib/kafka/topics';
import { createLogger } from '../../../lib/log';

const config = loadConfig();

describe('ensureTopics on a real broker', () => {
  let admin: Admin;
  const name = `smp-test-topic-${randomUUID()}`;
  const spec: TopicSpec = {
    name,
    partitions: 3,
    replicationFactor: 1,
    configs: { 'cleanup.policy': 'delete', 'retention.ms': '3600000' },
    purpose: 'test',
  };

  beforeAll(async () => {
    admin = createKafka(config, {
      stage: 'test',
      logger: createLogger({ level: 'error', name: 'test' }),
    }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a missing topic with its partitions and configuration, then finds it unchanged', async () => {
    const first = await ensureTopics(admin, [spec]);
    expect(first.created).toEqual([name]);
    const second = await ensureTopics(admin, [spec]);
    expect(second).toEqual({ created: [], unchanged: [name], drift: [], fixed: [] });
  });

  it('reports drift instead of ignoring it, and fixes configuration on request', async () => {
    const wanted: TopicSpec = {
      ...spec,
      partitions: 4,
      configs: { ...spec.configs, 'retention.ms': '7200000' },
    };
    const report = await ensureTopics(admin, [wanted]);
    expect(report.drift).toEqual(
      expect.arrayContaining([
        { topic: name, setting: 'partitions', expected: '4', actual: '3', fixable: false },
        {
          topic: name,
          setting: 'retention.ms',
          expected: '7200000',
          actual: '3600000',
          fixable: true,
        },
      ]),
    );

    const applied = await ensureTopics(admin, [wanted], { apply: true });
    expect(applied.fixed.map((d) => d.setting)).toEqual(['retention.ms']);
    expect(applied.drift.map((d) => d.setting)).toEqual(['partitions']);

    const after = await ensureTopics(admin, [wanted]);
    expect(after.drift.map((d) => d.setting)).toEqual(['partitions']);
  });
});
