import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

export { Registry } from 'prom-client';

/**
 * One registry per process. Stages that run together in `smp run` share it,
 * so every metric is fetched-or-created by name rather than constructed
 * twice, which prom-client would reject.
 *
 * Naming follows https://prometheus.io/docs/practices/naming/: an `smp_`
 * prefix, `_total` on counters, base units in the name. Labels stay
 * bounded: never an asset id or a correlation id.
 */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

const namePattern = /^smp_[a-z0-9_]+$/;

function checkName(name: string): void {
  if (!namePattern.test(name)) {
    throw new Error(`metric name ${JSON.stringify(name)} must match ${namePattern}`);
  }
}

export function counter<L extends string>(
  registry: Registry,
  config: Omit<CounterConfiguration<L>, 'registers'>,
): Counter<L> {
  checkName(config.name);
  if (!config.name.endsWith('_total')) {
    throw new Error(`counter ${config.name} must end in _total`);
  }
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Counter<L>;
  return new Counter({ ...config, registers: [registry] });
}

export function gauge<L extends string>(
  registry: Registry,
  config: Omit<GaugeConfiguration<L>, 'registers'>,
): Gauge<L> {
  checkName(config.name);
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Gauge<L>;
  return new Gauge({ ...config, registers: [registry] });
}

export function histogram<L extends string>(
  registry: Registry,
  config: Omit<HistogramConfiguration<L>, 'registers'>,
): Histogram<L> {
  checkName(config.name);
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Histogram<L>;
  return new Histogram({ ...config, registers: [registry] });
}

/** Buckets for latencies from a millisecond to half a minute, in seconds. */
export const latencyBuckets = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];
