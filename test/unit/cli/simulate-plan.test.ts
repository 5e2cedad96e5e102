import { planRun } from '../../../cli/commands/simulate';

const defaults = {
  assets: '100',
  rate: '1000',
  batch: '100',
  seed: '1',
  failing: '0.1',
  concurrency: '4',
  format: 'json' as const,
  tsFormat: 'iso' as const,
  maxErrorRate: '0.01',
};
const now = Date.UTC(2026, 11, 3, 12);

describe('the simulation timeline', () => {
  it('runs event time at wall speed and ends a finite run about now', () => {
    const plan = planRun({ ...defaults, duration: '60' }, now);
    expect(plan.readings).toBe(60_000);
    expect(plan.intervalMs).toBe(100);
    expect(plan.start).toBe(now - 60_000);
    expect(plan.horizonMs).toBe(60_000);
  });

  it('compresses time with --interval, placing failures within the run', () => {
    const plan = planRun({ ...defaults, readings: '10000', interval: '600' }, now);
    expect(plan.intervalMs).toBe(600_000);
    expect(plan.horizonMs).toBe(100 * 600_000);
    expect(plan.start).toBe(now - 100 * 600_000);
  });

  it('takes a fixed start for reproducible data', () => {
    expect(planRun({ ...defaults, readings: '10', start: '2026-01-01T00:00:00Z' }, now).start).toBe(
      Date.UTC(2026, 0, 1),
    );
    expect(planRun({ ...defaults, readings: '10', start: '1767225600000' }, now).start).toBe(
      1767225600000,
    );
  });

  it('refuses an endless run as fast as possible, whose event time would run ahead', () => {
    expect(() => planRun({ ...defaults, rate: '0' }, now)).toThrow(/needs --readings/);
    expect(planRun({ ...defaults, rate: '0', readings: '5' }, now).readings).toBe(5);
  });

  it('names a bad option', () => {
    expect(() => planRun({ ...defaults, assets: '0' }, now)).toThrow(
      '--assets must be a number from 1',
    );
    expect(() => planRun({ ...defaults, batch: 'x' }, now)).toThrow('--batch must be a number');
  });
});
