import type { FeatureName, PipelineDefinition } from '../../../pipelines';
import type { RowBuffer } from './row-buffer';

/**
 * The features of one window, computed from its rows in event-time order.
 * Every value is a pure function of the rows, so recomputing a window after
 * a restart, or in offline mode, gives the same bits.
 *
 * Moments are computed on values shifted by the first one, which keeps
 * them exact for constant series and accurate for large values with small
 * variation (a sensor at 9046.19 +- 0.05). Degenerate cases have fixed
 * answers instead of NaN: std, skewness and kurtosis are 0 when all values
 * are equal, slope is 0 for a single value.
 */
export interface ComputedFeatures {
  readonly features: Record<string, number>;
  readonly missingMetrics: string[];
}

export class FeatureCalculator {
  private readonly plans: MetricPlan[];
  private values = new Float64Array(64);
  private times = new Float64Array(64);

  constructor(pipeline: PipelineDefinition) {
    this.plans = pipeline.metrics.map((metric, index) => {
      const wanted = pipeline.features.filter((f) => f.metric === metric);
      return {
        metric,
        index,
        features: wanted.map((f) => ({ name: f.feature, key: f.key })),
      };
    });
  }

  compute(rows: RowBuffer, from: number, to: number): ComputedFeatures {
    this.ensureCapacity(to - from);
    const features: Record<string, number> = {};
    const missingMetrics: string[] = [];
    for (const plan of this.plans) {
      const n = this.collect(rows, from, to, plan.index);
      if (n === 0) {
        missingMetrics.push(plan.metric);
        continue;
      }
      const stats = describe(this.values, this.times, n);
      for (const f of plan.features) features[f.key] = stats[f.name];
    }
    return { features, missingMetrics };
  }

  private collect(rows: RowBuffer, from: number, to: number, metric: number): number {
    let n = 0;
    for (let i = from; i < to; i++) {
      const v = rows.value(i, metric);
      if (v !== v) continue; // NaN: the reading did not carry the metric
      this.values[n] = v;
      this.times[n] = rows.ts(i);
      n++;
    }
    return n;
  }

  private ensureCapacity(n: number): void {
    if (n <= this.values.length) return;
    const size = Math.max(n, this.values.length * 2);
    this.values = new Float64Array(size);
    this.times = new Float64Array(size);
  }
}

interface MetricPlan {
  readonly metric: string;
  readonly index: number;
  readonly features: readonly { name: FeatureName; key: string }[];
}

type Stats = Record<FeatureName, number>;

/** Every feature of n values at event times `t` (milliseconds, increasing). */
export function describe(x: Float64Array, t: Float64Array, n: number): Stats {
  const first = x[0]!;
  const last = x[n - 1]!;
  let min = first;
  let max = first;
  let shiftedSum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    shiftedSum += v - first;
    squares += v * v;
  }
  const shiftedMean = shiftedSum / n;
  const mean = first + shiftedMean;

  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  if (max !== min) {
    for (let i = 0; i < n; i++) {
      const d = x[i]! - first - shiftedMean;
      const d2 = d * d;
      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
  }
  const constant = m2 === 0;
  return {
    count: n,
    mean,
    min,
    max,
    std: Math.sqrt(m2),
    rms: Math.sqrt(squares / n),
    first,
    last,
    delta: last - first,
    slope: slope(x, t, n, first),
    ptp: max - min,
    skewness: constant ? 0 : m3 / Math.pow(m2, 1.5),
    kurtosis: constant ? 0 : m4 / (m2 * m2) - 3,
  };
}

/** Least-squares slope per second; times are taken relative to the first. */
function slope(x: Float64Array, t: Float64Array, n: number, first: number): number {
  if (n < 2) return 0;
  const t0 = t[0]!;
  let sumT = 0;
  let sumX = 0;
  for (let i = 0; i < n; i++) {
    sumT += (t[i]! - t0) / 1000;
    sumX += x[i]! - first;
  }
  const meanT = sumT / n;
  const meanX = sumX / n;
  let cov = 0;
  let varT = 0;
  for (let i = 0; i < n; i++) {
    const dt = (t[i]! - t0) / 1000 - meanT;
    cov += dt * (x[i]! - first - meanX);
    varT += dt * dt;
  }
  return varT === 0 ? 0 : cov / varT;
}
