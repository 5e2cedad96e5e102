import { FeatureEngine } from '../../../../processors/features/window/feature-engine';
import type { Reading } from '../../../../processors/features/window/types';
import { recorder, testPipeline } from '../../../support/pipeline-definitions';

const S = 1000;

function reading(ts: number, metrics: Record<string, number>, assetId = 'a-1'): Reading {
  return { assetId, ts, metrics, tags: {} };
}

/** An engine with a wall clock the test moves by hand. */
function harness(pipeline: ReturnType<typeof testPipeline>) {
  let wall = 1_000_000;
  const engine = new FeatureEngine([pipeline], { now: () => wall });
  const out = recorder();
  let offset = 0;
  return {
    engine,
    out,
    feed(...readings: Reading[]) {
      for (const r of readings) engine.process(r, 0, offset++, out.listener);
    },
    advanceWall(ms: number) {
      wall += ms;
    },
    bounds: () => out.windows.map((w) => [w.windowStart / S, w.windowEnd / S]),
  };
}

describe('tumbling windows', () => {
  const pipeline = testPipeline({
    window: { type: 'tumbling', sizeMs: 10 * S },
    features: { temp: ['count', 'mean', 'max'] },
  });

  it('close when the asset clock reaches their end, and not before', () => {
    const h = harness(pipeline);
    h.feed(reading(1 * S, { temp: 1 }), reading(9.999 * S, { temp: 3 }));
    expect(h.out.windows).toEqual([]);

    h.feed(reading(10 * S, { temp: 5 }));
    expect(h.bounds()).toEqual([[0, 10]]);
    expect(h.out.windows[0]).toMatchObject({
      assetId: 'a-1',
      pipeline: 'test',
      recordCount: 2,
      features: { temp_count: 2, temp_mean: 2, temp_max: 3 },
      missingMetrics: [],
      closeReason: 'WATERMARK',
    });
  });

  it('put a reading exactly at a window end into the next window', () => {
    const h = harness(pipeline);
    h.feed(reading(10 * S, { temp: 5 }), reading(20 * S, { temp: 7 }));
    expect(h.bounds()).toEqual([[10, 20]]);
    expect(h.out.windows[0]!.features.temp_mean).toBe(5);
  });

  it('skip windows that hold no reading when the clock jumps', () => {
    const h = harness(pipeline);
    h.feed(reading(1 * S, { temp: 1 }), reading(95 * S, { temp: 2 }));
    expect(h.bounds()).toEqual([[0, 10]]);
  });

  it('keep windows of each asset apart', () => {
    const h = harness(pipeline);
    h.feed(reading(1 * S, { temp: 1 }, 'a'), reading(2 * S, { temp: 9 }, 'b'));
    h.feed(reading(11 * S, { temp: 1 }, 'a'));
    expect(h.out.windows.map((w) => [w.assetId, w.features.temp_mean])).toEqual([['a', 1]]);
  });
});

describe('the grace period', () => {
  const pipeline = testPipeline({
    window: { type: 'tumbling', sizeMs: 10 * S, graceMs: 3 * S },
    features: { temp: ['count', 'mean'] },
  });

  it('keeps a window open until the clock passes its end plus grace', () => {
    const h = harness(pipeline);
    h.feed(reading(5 * S, { temp: 1 }), reading(12.999 * S, { temp: 2 }));
    expect(h.out.windows).toEqual([]);
    h.feed(reading(13 * S, { temp: 3 }));
    expect(h.bounds()).toEqual([[0, 10]]);
  });

  it('counts an out-of-order reading that arrives within the grace period', () => {
    const h = harness(pipeline);
    h.feed(reading(5 * S, { temp: 1 }), reading(12 * S, { temp: 2 }), reading(8 * S, { temp: 7 }));
    h.feed(reading(14 * S, { temp: 3 }));
    expect(h.out.windows[0]!.features).toEqual({ temp_count: 2, temp_mean: 4 });
    expect(h.out.late).toEqual([]);
  });

  it('reports a reading later than the grace period, with how late it was', () => {
    const h = harness(pipeline);
    h.feed(reading(5 * S, { temp: 1 }), reading(15 * S, { temp: 2 }));
    const late = reading(6 * S, { temp: 100 });
    h.feed(late);

    expect(h.out.late).toEqual([
      {
        pipeline: 'test',
        reading: late,
        reason: 'window closed',
        lateByMs: 15 * S - 3 * S - 6 * S,
        assetClock: 15 * S,
      },
    ]);
    h.feed(reading(30 * S, { temp: 2 }));
    // The late reading changed nothing: the next window holds only its own reading.
    expect(h.out.windows.map((w) => w.features.temp_mean)).toEqual([1, 2]);
  });
});

describe('hopping windows', () => {
  const pipeline = testPipeline({
    window: { type: 'hopping', sizeMs: 10 * S, hopMs: 5 * S },
    features: { temp: ['count', 'first', 'last'] },
  });

  it('count a reading in every window that covers it, emitted in start order', () => {
    const h = harness(pipeline);
    h.feed(reading(7 * S, { temp: 1 }), reading(12 * S, { temp: 2 }), reading(30 * S, { temp: 3 }));
    expect(h.bounds()).toEqual([
      [0, 10],
      [5, 15],
      [10, 20],
    ]);
    expect(h.out.windows.map((w) => w.features.temp_count)).toEqual([1, 2, 1]);
    expect(h.out.windows[1]!.features).toMatchObject({ temp_first: 1, temp_last: 2 });
  });

  it('report a reading that missed a closed window and count it in the open ones', () => {
    const h = harness(pipeline);
    h.feed(reading(1 * S, { temp: 1 }), reading(11 * S, { temp: 2 }));
    expect(h.bounds()).toEqual([
      [-5, 5],
      [0, 10],
    ]);

    h.feed(reading(6 * S, { temp: 5 }));
    expect(h.out.late).toHaveLength(1);
    expect(h.out.late[0]!.reason).toBe('window closed; counted only in later windows');

    h.feed(reading(40 * S, { temp: 0 }));
    const fiveToFifteen = h.out.windows.find((w) => w.windowStart === 5 * S)!;
    expect(fiveToFifteen.features).toEqual({ temp_count: 2, temp_first: 5, temp_last: 2 });
  });
});

describe('sliding windows', () => {
  const pipeline = testPipeline({
    window: { type: 'sliding', sizeMs: 30 * S },
    features: { cycle: ['last', 'count'] },
  });

  it('emit a window of the last size of event time at every reading', () => {
    const h = harness(pipeline);
    for (let c = 1; c <= 32; c++) h.feed(reading(c * S, { cycle: c }));
    expect(h.out.windows).toHaveLength(32);
    const last = h.out.windows[31]!;
    // (32 s - 30 s, 32 s]: cycles 3..32, the reading 30 s before is out.
    expect(last).toMatchObject({
      windowStart: 2 * S + 1,
      windowEnd: 32 * S + 1,
      recordCount: 30,
      closeReason: 'EVERY_READING',
      features: { cycle_last: 32, cycle_count: 30 },
    });
    expect(h.out.windows[0]!.features).toEqual({ cycle_last: 1, cycle_count: 1 });
  });

  it('wait for the grace period and include readings that came out of order', () => {
    const graceful = testPipeline({
      window: { type: 'sliding', sizeMs: 10 * S, graceMs: 2 * S },
      features: { v: ['count', 'first'] },
    });
    const h = harness(graceful);
    h.feed(reading(1 * S, { v: 1 }), reading(3 * S, { v: 3 }));
    expect(h.bounds()).toEqual([[-8.999, 1.001]]);

    h.feed(reading(2 * S, { v: 2 }));
    h.feed(reading(5 * S, { v: 5 }));
    // The window at 3 s closed only when the clock reached 5 s, so it saw 2 s.
    expect(h.out.windows.map((w) => w.features.v_count)).toEqual([1, 2, 3]);
    expect(h.out.late).toEqual([]);
  });

  it('report an out-of-order reading beyond grace and count it in later windows', () => {
    const h = harness(pipeline);
    h.feed(reading(10 * S, { cycle: 10 }), reading(12 * S, { cycle: 12 }));
    h.feed(reading(11 * S, { cycle: 11 }));
    expect(h.out.late.map((l) => l.lateByMs)).toEqual([1 * S]);
    h.feed(reading(13 * S, { cycle: 13 }));
    expect(h.out.windows.at(-1)!.features).toEqual({ cycle_last: 13, cycle_count: 4 });
    expect(h.out.windows.map((w) => w.windowEnd / S)).toEqual([10.001, 12.001, 13.001]);
  });
});

describe('the idle timeout', () => {
  const pipeline = testPipeline({
    window: { type: 'tumbling', sizeMs: 60 * S, idleTimeoutMs: 30 * S },
    features: { temp: ['mean'] },
  });

  it("closes a quiet asset's window after the idle timeout in wall-clock time", () => {
    const h = harness(pipeline);
    h.feed(reading(1 * S, { temp: 4 }), reading(2 * S, { temp: 6 }));
    h.advanceWall(29_999);
    expect(h.engine.sweepIdle(h.out.listener)).toBe(0);

    h.advanceWall(1);
    expect(h.engine.sweepIdle(h.out.listener)).toBe(1);
    expect(h.out.windows).toMatchObject([
      { windowStart: 0, windowEnd: 60 * S, closeReason: 'IDLE', features: { temp_mean: 5 } },
    ]);
    expect(h.engine.sweepIdle(h.out.listener)).toBe(0);
  });

  it('treats readings for an idle-closed window as late and starts new windows after it', () => {
    const h = harness(pipeline);
    h.feed(reading(1 * S, { temp: 4 }));
    h.advanceWall(30 * S);
    h.engine.sweepIdle(h.out.listener);

    h.feed(reading(2 * S, { temp: 1 }));
    expect(h.out.late.map((l) => l.reason)).toEqual(['window closed by idle timeout']);
    h.feed(reading(61 * S, { temp: 8 }), reading(130 * S, { temp: 0 }));
    expect(h.out.windows.map((w) => [w.windowStart / S, w.features.temp_mean])).toEqual([
      [0, 4],
      [60, 8],
    ]);
  });

  it('restarts the idle timer with every accepted reading', () => {
    const h = harness(pipeline);
    h.feed(reading(1 * S, { temp: 4 }));
    h.advanceWall(20 * S);
    h.feed(reading(2 * S, { temp: 4 }));
    h.advanceWall(20 * S);
    expect(h.engine.sweepIdle(h.out.listener)).toBe(0);
  });
});

describe('duplicates', () => {
  it('change nothing when a reading with the same asset and ts arrives again', () => {
    const pipeline = testPipeline({
      window: { type: 'tumbling', sizeMs: 10 * S },
      features: { temp: ['count', 'mean'] },
    });
    const h = harness(pipeline);
    h.feed(reading(1 * S, { temp: 1 }), reading(2 * S, { temp: 3 }));
    h.feed(reading(1 * S, { temp: 1 }), reading(2 * S, { temp: 999 }));
    h.feed(reading(11 * S, { temp: 0 }));
    expect(h.out.duplicates).toBe(2);
    expect(h.out.windows[0]!.features).toEqual({ temp_count: 2, temp_mean: 2 });
    expect(h.out.windows[0]!.recordCount).toBe(2);
  });
});

describe('missing metrics', () => {
  it('are listed and their features left out, never zero', () => {
    const pipeline = testPipeline({
      window: { type: 'tumbling', sizeMs: 10 * S },
      features: { temp: ['mean'], vib: ['max', 'count'], pressure: ['min'] },
    });
    const h = harness(pipeline);
    h.feed(reading(1 * S, { temp: 1, vib: 0.5 }), reading(2 * S, { temp: 3 }));
    h.feed(reading(11 * S, { temp: 0 }));
    expect(h.out.windows[0]).toMatchObject({
      recordCount: 2,
      features: { temp_mean: 2, vib_max: 0.5, vib_count: 1 },
      missingMetrics: ['pressure'],
    });
    expect(Object.keys(h.out.windows[0]!.features)).not.toContain('pressure_min');
  });
});
