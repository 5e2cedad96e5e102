import { loadConfig } from '../../../lib/config';
import { changelogTopicSpec, contractTopicSpecs, topics } from '../../../lib/kafka/topics';

describe('topic specs', () => {
  it('covers the six contract topics with explicit partitions and retention', () => {
    const specs = contractTopicSpecs(
      loadConfig({ SMP_TOPIC_PARTITIONS: '12', SMP_TOPIC_RETENTION_DAYS: '2' }),
    );
    expect(specs.map((s) => s.name).sort()).toEqual(Object.values(topics).sort());
    for (const spec of specs) {
      expect(spec.partitions).toBe(12);
      expect(spec.configs['cleanup.policy']).toBe('delete');
    }
    const retention = (name: string) =>
      Number(specs.find((s) => s.name === name)!.configs['retention.ms']);
    expect(retention(topics.readings)).toBe(2 * 24 * 3600 * 1000);
    expect(retention(topics.dlq)).toBe(4 * retention(topics.readings));
  });

  it('asks for two in-sync replicas once there are three replicas', () => {
    const [spec] = contractTopicSpecs(loadConfig({ SMP_TOPIC_REPLICATION_FACTOR: '3' }));
    expect(spec!.configs['min.insync.replicas']).toBe('2');
    const [local] = contractTopicSpecs(loadConfig({}));
    expect(local!.configs['min.insync.replicas']).toBe('1');
  });

  it('makes changelog topics compacted', () => {
    const spec = changelogTopicSpec(loadConfig({}), 'smp.features.state', 'window state');
    expect(spec.configs['cleanup.policy']).toBe('compact');
  });
});
