import { FEATURE_NAMES, type FeatureName } from '../../../../pipelines';
import { FeatureEngine } from '../../../../processors/features/window/feature-engine';
import { seededRandom } from '../../../support/random';
import { recorder, testPipeline } from '../../../support/pipeline-definitions';

/**
 * Each feature against a straightforward textbook computation, written
 * independently of the engine's shifted, single-pass-friendly code.
 */
const reference: Record<FeatureName, (x: number[], tSeconds: number[]) => number> = {
  count: (x) => x.length,
  mean: (x) => sum(x) / x.length,
  min: (x) => Math.min(...x),
  max: (x) => Math.max(...x),
  std: (x) => Math.sqrt(centralMoment(x, 2)),
  rms: (x) => Math.sqrt(sum(x.map((v) => v * v)) / x.length),
  first: (x) => x[0]!,
  last: (x) => x[x.length - 1]!,
  delta: (x) => x[x.length - 1]! - x[0]!,
  slope: (x, t) => {
    const n = x.length;
    const st = sum(t);
    const sx = sum(x);
    const stt = sum(t.map((v) => v * v));
    const stx = sum(t.map((v, i) => v * x[i]!));
    return (n * stx - st * sx) / (n * stt - st * st);
  },
  ptp: (x) => Math.max(...x) - Math.min(...x),
  skewness: (x) => centralMoment(x, 3) / Math.pow(centralMoment(x, 2), 1.5),
  kurtosis: (x) => centralMoment(x, 4) / Math.pow(centralMoment(x, 2), 2) - 3,
};

function sum(x: number[]): number {
  return x.reduce((a, b) => a + b, 0);
}

function centralMoment(x: number[], k: number): number {
  const mean = sum(x) / x.length;
  return sum(x.map((v) => Math.pow(v - mean, k))) / x.length;
}

function expectClose(actual: number, expected: number, what: string): void {
  const scale = Math.max(1, Math.abs(expected));
  if (Math.abs(actual - expected) > 1e-9 * scale) {
    throw new Error(`${what}: got ${actual}, expected ${expected}`);
  }
}

const pipeline = testPipeline({
  window: { type: 'tumbling', sizeMs: 60_000 },
  features: { big: FEATURE_NAMES, small: FEATURE_NAMES, sparse: FEATURE_NAMES },
});

/** Windows of random readings, with the raw series each window saw. */
function randomWindows(seed: number) {
  const random = seededRandom(seed);
  const engine = new FeatureEngine([pipeline]);
  const out = recorder();
  const series = new Map<number, Record<string, { x: number[]; t: number[] }>>();
  let ts = 0;
  for (let offset = 0; offset < 600; offset++) {
    ts += 1 + Math.floor(random() * 900);
    const metrics: Record<string, number> = {
      big: 9046 + random() * 0.5,
      small: (random() - 0.3) * 10,
    };
    if (random() < 0.3) metrics.sparse = random() * 100;
    const start = Math.floor(ts / 60_000) * 60_000;
    const window = series.get(start) ?? {};
    for (const [m, v] of Object.entries(metrics)) {
      window[m] ??= { x: [], t: [] };
      window[m].x.push(v);
      window[m].t.push(ts / 1000);
    }
    series.set(start, window);
    engine.process({ assetId: 'a', ts, metrics, tags: {} }, 0, offset, out.listener);
  }
  engine.closeAll(out.listener);
  return { windows: out.windows, series };
}

describe('every feature', () => {
  it.each(FEATURE_NAMES)('%s matches a reference computation on random windows', (feature) => {
    const { windows, series } = randomWindows(7);
    expect(windows.length).toBeGreaterThanOrEqual(5);
    for (const w of windows) {
      const raw = series.get(w.windowStart)!;
      for (const metric of ['big', 'small', 'sparse']) {
        const data = raw[metric];
        const key = `${metric}_${feature}`;
        if (!data) {
          expect(w.missingMetrics).toContain(metric);
          expect(w.features[key]).toBeUndefined();
          continue;
        }
        if (data.x.length < 2 && ['slope', 'skewness', 'kurtosis'].includes(feature)) {
          expect(w.features[key]).toBe(0);
          continue;
        }
        expectClose(w.features[key]!, reference[feature](data.x, data.t), key);
      }
    }
  });

  it('gives exact answers for a constant series instead of rounding noise', () => {
    const engine = new FeatureEngine([pipeline]);
    const out = recorder();
    [0, 1000, 2000].forEach((ts, i) =>
      engine.process({ assetId: 'a', ts, metrics: { big: 0.1 }, tags: {} }, 0, i, out.listener),
    );
    engine.closeAll(out.listener);
    expect(out.windows[0]!.features).toMatchObject({
      big_mean: 0.1,
      big_std: 0,
      big_skewness: 0,
      big_kurtosis: 0,
      big_slope: 0,
      big_ptp: 0,
    });
  });

  it('measures slope in units per second of event time', () => {
    const engine = new FeatureEngine([pipeline]);
    const out = recorder();
    [0, 2000, 4000].forEach((ts, i) =>
      engine.process(
        { assetId: 'a', ts, metrics: { small: 3 * (ts / 1000) }, tags: {} },
        0,
        i,
        out.listener,
      ),
    );
    engine.closeAll(out.listener);
    expect(out.windows[0]!.features.small_slope).toBeCloseTo(3, 12);
  });
});
