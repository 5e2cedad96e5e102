import {
  Fleet,
  batchesOf,
  seededRandom,
  simulatedMetrics,
  type SimulatedReading,
} from '../../../../lib/simulator';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const start = Date.UTC(2026, 0, 1);

function take(fleet: Fleet, n: number): SimulatedReading[] {
  return [...batchesOf(fleet.readings(), n, n)][0] ?? [];
}

describe('the simulated fleet', () => {
  it('is the same for the same seed and different for another', () => {
    const options = { assets: 20, seed: 'demo', start, intervalMs: 60_000 };
    const a = take(new Fleet(options), 2_000);
    const b = take(new Fleet(options), 2_000);
    const c = take(new Fleet({ ...options, seed: 'other' }), 2_000);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect(new Fleet(options).assets).toEqual(new Fleet(options).assets);
  });

  it('gives an asset the same readings however many others there are', () => {
    const small = take(
      new Fleet({ assets: 3, seed: 7, start, intervalMs: 60_000, failingShare: 0 }),
      300,
    );
    const large = take(
      new Fleet({ assets: 9, seed: 7, start, intervalMs: 60_000, failingShare: 0 }),
      900,
    );
    const own = (rs: SimulatedReading[]) => rs.filter((r) => r.assetId === 'pump-0001');
    const n = Math.min(own(small).length, own(large).length);
    expect(n).toBeGreaterThan(90);
    expect(own(large).slice(0, n)).toEqual(own(small).slice(0, n));
  });

  it('sends readings in event-time order with ISO timestamps that the gateway accepts', () => {
    const readings = take(new Fleet({ assets: 5, seed: 1, start, intervalMs: 10_000 }), 500);
    const times = readings.map((r) => Date.parse(r.ts as string));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(readings[0]!.ts).toBe('2026-01-01T00:00:00.000Z');
    for (const r of readings) {
      expect(r.assetId).toMatch(/^(pump|compressor|fan)-\d{4}$/);
      expect(
        Object.keys(r.metrics).every((m) => (simulatedMetrics as readonly string[]).includes(m)),
      ).toBe(true);
      expect(Object.values(r.metrics).every(Number.isFinite)).toBe(true);
      expect(r.tags).toEqual({
        site: expect.stringMatching(/^site-\d$/),
        kind: expect.any(String),
      });
    }
    const epoch = take(
      new Fleet({ assets: 1, seed: 1, start, intervalMs: 1_000, tsFormat: 'epoch' }),
      1,
    );
    expect(epoch[0]!.ts).toBe(start);
  });

  it('never repeats an asset and instant, so batches pass the duplicate check', () => {
    const readings = take(new Fleet({ assets: 50, seed: 3, start, intervalMs: 1_000 }), 20_000);
    const keys = new Set(readings.map((r) => `${r.assetId}@${r.ts}`));
    expect(keys.size).toBe(readings.length);
  });

  it('follows a daily cycle: bearing temperature peaks in the afternoon', () => {
    const fleet = new Fleet({
      assets: 1,
      seed: 5,
      start,
      intervalMs: 10 * 60_000,
      failingShare: 0,
    });
    const readings = take(fleet, 6 * 24 * 3).filter((r) => r.metrics.temp_c !== undefined);
    const meanAt = (from: number, to: number) => {
      const picked = readings.filter((r) => {
        const hour = new Date(r.ts as string).getUTCHours();
        return hour >= from && hour < to;
      });
      return picked.reduce((s, r) => s + r.metrics.temp_c!, 0) / picked.length;
    };
    expect(meanAt(13, 17)).toBeGreaterThan(meanAt(1, 5) + 3);
  });

  it('lets failing assets degrade (hotter, vibrating more) and then fall silent', () => {
    const fleet = new Fleet({
      assets: 10,
      seed: 11,
      start,
      intervalMs: 15 * 60_000,
      failingShare: 0.2,
      horizonMs: 10 * DAY,
    });
    const failing = fleet.assets.filter((a) => a.failureAt !== null);
    expect(failing).toHaveLength(2);
    const readings = take(fleet, 10 * 4 * 24 * 10);
    for (const asset of failing) {
      const own = readings.filter((r) => r.assetId === asset.assetId);
      const at = (r: SimulatedReading) => Date.parse(r.ts as string);
      expect(own.every((r) => at(r) < asset.failureAt!)).toBe(true);
      const healthy = own.filter((r) => at(r) < asset.degradationStart!);
      const late = own.filter((r) => at(r) > asset.failureAt! - 12 * HOUR);
      const mean = (rs: SimulatedReading[], m: string) =>
        rs.filter((r) => r.metrics[m] !== undefined).reduce((s, r) => s + r.metrics[m]!, 0) /
        rs.filter((r) => r.metrics[m] !== undefined).length;
      expect(mean(late, 'vib_rms_mm_s')).toBeGreaterThan(2 * mean(healthy, 'vib_rms_mm_s'));
      expect(mean(late, 'temp_c')).toBeGreaterThan(mean(healthy, 'temp_c') + 5);
    }
    const healthyAsset = fleet.assets.find((a) => a.failureAt === null)!;
    expect(readings.filter((r) => r.assetId === healthyAsset.assetId).length).toBeGreaterThan(900);
  });

  it('drops sensors now and then, so some readings lack a metric', () => {
    const readings = take(
      new Fleet({ assets: 20, seed: 2, start, intervalMs: 60_000, failingShare: 0 }),
      40_000,
    );
    const partial = readings.filter((r) => Object.keys(r.metrics).length < simulatedMetrics.length);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(readings.length * 0.2);
    // Contact losses leave whole steps out.
    expect(readings.length).toBe(40_000);
    const last = Date.parse(readings[readings.length - 1]!.ts as string);
    expect((last - start) / 60_000 + 1).toBeGreaterThan(40_000 / 20);
  });

  it('batches readings and stops at a limit', () => {
    const batches = [...batchesOf([1, 2, 3, 4, 5, 6, 7], 3)];
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect([...batchesOf([1, 2, 3, 4, 5, 6, 7], 3, 5)]).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect([...batchesOf([1, 2], 3, 0)]).toEqual([]);
    expect(() => [...batchesOf([1], 0)]).toThrow(/at least 1/);
  });

  it('draws the same numbers from the same seed', () => {
    const a = seededRandom('x');
    const b = seededRandom('x');
    const values = Array.from({ length: 5 }, () => a.next());
    expect(values).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const normals = Array.from({ length: 20_000 }, () => a.normal());
    const mean = normals.reduce((s, v) => s + v, 0) / normals.length;
    const variance = normals.reduce((s, v) => s + (v - mean) ** 2, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
