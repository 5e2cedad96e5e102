import { counter, createRegistry, gauge } from '../../../lib/metrics';

describe('metric helpers', () => {
  it('returns the same metric when two stages of one process ask for it', () => {
    const registry = createRegistry();
    const config = { name: 'smp_test_things_total', help: 'things', labelNames: ['kind'] as const };
    const a = counter(registry, { ...config, labelNames: [...config.labelNames] });
    const b = counter(registry, { ...config, labelNames: [...config.labelNames] });
    a.inc({ kind: 'x' });
    b.inc({ kind: 'x' });
    expect(a).toBe(b);
  });

  it('refuses names outside the project prefix and counters without _total', () => {
    const registry = createRegistry();
    expect(() => gauge(registry, { name: 'queue_depth', help: 'x' })).toThrow('smp_');
    expect(() => counter(registry, { name: 'smp_things', help: 'x' })).toThrow('_total');
  });

  it('exposes default process metrics next to the project metrics', async () => {
    const registry = createRegistry();
    counter(registry, { name: 'smp_test_seen_total', help: 'seen' }).inc(3);
    const text = await registry.metrics();
    expect(text).toContain('smp_test_seen_total 3');
    expect(text).toContain('process_cpu_seconds_total');
  });
});
