import { FeatureEngine } from '../../../../processors/features/window/feature-engine';
import type {
  ClosedWindow,
  LateEvent,
  Reading,
} from '../../../../processors/features/window/types';
import type { WindowMeta } from '../../../../processors/features/window/window-meta';
import { recorder, testPipeline } from '../../../support/pipeline-definitions';
import { seededRandom } from '../../../support/random';

/**
 * The crash-safety argument of the feature stage, checked without Kafka:
 * an engine restored from checkpoints (the latest per asset, as a compacted
 * changelog keeps them) that replays the input from where they say,
 * continues exactly as an engine that never stopped. Crashes fall between
 * checkpoints, in the middle of writing one, and before the first.
 */
const S = 1000;
const IDLE_MS = 60 * S;

const pipelines = [
  testPipeline({
    name: 'tumbling',
    window: { type: 'tumbling', sizeMs: 10 * S, graceMs: 2 * S, idleTimeoutMs: IDLE_MS },
    features: { a: ['mean', 'count'], b: ['max', 'slope'] },
  }),
  testPipeline({
    name: 'hopping',
    window: {
      type: 'hopping',
      sizeMs: 12 * S,
      hopMs: 4 * S,
      graceMs: 1 * S,
      idleTimeoutMs: IDLE_MS,
    },
    features: { a: ['first', 'last', 'std'] },
  }),
  testPipeline({
    name: 'sliding',
    window: { type: 'sliding', sizeMs: 5 * S, graceMs: 1 * S, idleTimeoutMs: IDLE_MS },
    features: { a: ['mean'], b: ['count'] },
  }),
];

interface Step {
  readonly reading: Reading;
  /** The stream paused for longer than the idle timeout before this reading. */
  readonly quietBefore: boolean;
}

function randomStream(seed: number, length: number): Step[] {
  const random = seededRandom(seed);
  const clocks = new Map<string, number>();
  const sent: Reading[] = [];
  const steps: Step[] = [];
  for (let i = 0; i < length; i++) {
    const assetId = `asset-${Math.floor(random() * 5)}`;
    const clock = clocks.get(assetId) ?? 1_000_000;
    const roll = random();
    let reading: Reading;
    if (roll < 0.05 && sent.length > 0) {
      reading = sent[Math.floor(random() * sent.length)]!; // a duplicate
    } else {
      const ts =
        roll < 0.2
          ? clock - Math.floor(random() * 15 * S)
          : clock + Math.floor(random() * 3 * S) + 1;
      clocks.set(assetId, Math.max(clock, ts));
      const metrics: Record<string, number> = { a: Math.round(random() * 1000) / 10 };
      if (random() < 0.7) metrics.b = random() * 5;
      reading = { assetId, ts, metrics, tags: {} };
    }
    sent.push(reading);
    steps.push({ reading, quietBefore: random() < 0.04 });
  }
  return steps;
}

interface Outputs {
  windows: ClosedWindow[];
  late: LateEvent[];
}

/** A run that checkpoints every `every` readings, as the stage does after each batch. */
function run(
  steps: readonly Step[],
  every: number,
  options: {
    engine?: FeatureEngine;
    from?: number;
    wall?: { now: number };
    /** An idle sweep that the uninterrupted run did not have, before this offset. */
    extraSweepAt?: number;
  } = {},
) {
  const wall = options.wall ?? { now: 0 };
  const engine = options.engine ?? new FeatureEngine(pipelines, { now: () => wall.now });
  const out = recorder();
  const checkpoints: { through: number; metas: WindowMeta[]; outputs: Outputs }[] = [];
  for (let offset = options.from ?? 0; offset < steps.length; offset++) {
    const step = steps[offset]!;
    wall.now += 10;
    if (offset === options.extraSweepAt) {
      wall.now += IDLE_MS;
      engine.sweepIdle(out.listener);
    }
    if (step.quietBefore) {
      wall.now += IDLE_MS;
      engine.sweepIdle(out.listener);
    }
    engine.process(step.reading, 0, offset, out.listener);
    if ((offset + 1) % every === 0) {
      checkpoints.push({
        through: offset + 1,
        metas: engine.takeCheckpoint(0, offset + 1),
        outputs: { windows: [...out.windows], late: [...out.late] },
      });
    }
  }
  wall.now += IDLE_MS;
  engine.sweepIdle(out.listener);
  return { windows: out.windows, late: out.late, checkpoints };
}

function compacted(metas: Iterable<WindowMeta>): WindowMeta[] {
  const latest = new Map<string, WindowMeta>();
  for (const m of metas) latest.set(`${m.pipeline}:${m.assetId}`, m);
  return [...latest.values()];
}

const windowKey = (w: ClosedWindow) => `${w.pipeline}|${w.assetId}|${w.windowStart}|${w.windowEnd}`;
// A reading may legitimately be late twice (it was sent twice), so a late
// event is identified by everything it says.
const lateKey = (l: LateEvent) => JSON.stringify(l);

function expectSameSet<T>(expected: T[], actual: T[], key: (t: T) => string): void {
  const want = new Map(expected.map((e) => [key(e), e]));
  const got = new Map<string, T>();
  for (const a of actual) {
    const k = key(a);
    const earlier = got.get(k);
    if (earlier) expect(a).toEqual(earlier); // a repeated output must be identical
    got.set(k, a);
  }
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, a] of got) expect(a).toEqual(want.get(k));
}

describe('restoring window state from checkpoints and a replay', () => {
  const cases = [
    [1, 7, 3],
    [2, 11, 20],
    [3, 5, 41],
    [4, 13, 9],
    [5, 50, 2],
  ] as const;

  it.each(cases)(
    'seed %i: checkpoints every %i readings, crash in checkpoint %i',
    (seed, every, crashAt) => {
      const steps = randomStream(seed, 700);
      const full = run(steps, every);
      expect(full.windows.length).toBeGreaterThan(100);
      expect(full.late.length).toBeGreaterThan(5);
      const random = seededRandom(seed * 31);

      const crashed = full.checkpoints[crashAt]!;
      const committed = full.checkpoints[crashAt - 1];
      // The crash hit while the checkpoint's metas were being written:
      // its outputs were acknowledged, some of its metas made it, the
      // offset commit did not.
      const written = crashed.metas.filter(() => random() < 0.5);
      const earlier = full.checkpoints.slice(0, crashAt).flatMap((c) => c.metas);
      const metas = compacted([...earlier, ...written]);

      const wall = { now: 5_000_000 };
      const engine = new FeatureEngine(pipelines, { now: () => wall.now });
      const { replayFrom } = engine.restore(0, metas, committed?.through);
      // A wall-clock sweep may fire while the replay is rebuilding rows; it
      // must leave the assets being rebuilt alone.
      const from = replayFrom ?? 0;
      const extraSweepAt = Math.floor((from + (committed?.through ?? from)) / 2);
      const resumed = run(steps, every, { engine, from, wall, extraSweepAt });

      expectSameSet(full.windows, [...crashed.outputs.windows, ...resumed.windows], windowKey);
      expectSameSet(full.late, [...crashed.outputs.late, ...resumed.late], lateKey);
    },
  );

  it('replays from the first reading when nothing was committed yet', () => {
    const steps = randomStream(9, 300);
    const full = run(steps, 10);
    const wall = { now: 0 };
    const engine = new FeatureEngine(pipelines, { now: () => wall.now });
    const { replayFrom } = engine.restore(0, full.checkpoints[0]!.metas.slice(0, 2), undefined);
    expect(replayFrom).toBeUndefined();
    const resumed = run(steps, 10, { engine, from: 0, wall });
    expectSameSet(
      full.windows,
      [...full.checkpoints[0]!.outputs.windows, ...resumed.windows],
      windowKey,
    );
  });
});
