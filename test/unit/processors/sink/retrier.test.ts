import { createLogger } from '../../../../lib/log';
import { createRegistry } from '../../../../lib/metrics';
import { OutageTracker } from '../../../../processors/sink/outage-tracker';
import { Retrier, backoff } from '../../../../processors/sink/retrier';
import { sinkMetrics } from '../../../../processors/sink/sink-metrics';

const logger = createLogger({ level: 'silent', name: 'test' });

function setUp(maxDelayMs = 50) {
  const outage = new OutageTracker(logger);
  const abort = new AbortController();
  const metrics = sinkMetrics(createRegistry());
  const retrier = new Retrier({ maxDelayMs, outage, metrics, signal: abort.signal });
  let running = true;
  const heartbeats: number[] = [];
  const ctx = {
    topic: 't',
    partition: 0,
    heartbeat: async () => void heartbeats.push(Date.now()),
    isRunning: () => running,
  };
  return { outage, abort, metrics, retrier, ctx, heartbeats, stop: () => (running = false) };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('storing a batch through failures', () => {
  it('retries until it succeeds, not ready meanwhile and ready after', async () => {
    const { retrier, ctx, outage, metrics } = setUp();
    let attempts = 0;
    const readiness: boolean[] = [];
    const result = await retrier.run(ctx, async () => {
      attempts++;
      readiness.push(
        await outage.check().then(
          () => true,
          () => false,
        ),
      );
      if (attempts < 4) throw refused();
      return 'stored';
    });

    expect(result).toBe('stored');
    expect(readiness).toEqual([true, false, false, false]);
    await expect(outage.check()).resolves.toBeUndefined();
    const retries = await metrics.retries.get();
    expect(retries.values).toEqual([
      expect.objectContaining({ labels: { topic: 't', reason: 'database_unavailable' }, value: 3 }),
    ]);
  });

  it('gives up, without success, once the consumer stops', async () => {
    const { retrier, ctx, stop, outage } = setUp();
    let attempts = 0;
    const run = retrier.run(ctx, async () => {
      attempts++;
      if (attempts === 2) stop();
      throw refused();
    });
    await expect(run).rejects.toThrow('ECONNREFUSED');
    expect(attempts).toBe(2);
    await expect(outage.check()).rejects.toThrow(/cannot store records since/);
  });

  it('cuts a wait short when the process stops', async () => {
    const { retrier, ctx, abort } = setUp(60_000);
    const started = Date.now();
    const run = retrier.run(ctx, async () => {
      throw refused();
    });
    setTimeout(() => abort.abort(), 50);
    for (let n = 0; n < 20; n++) await Promise.resolve();
    await expect(run).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('waits exponentially longer, never beyond the cap, with jitter', () => {
    for (let attempt = 1; attempt < 30; attempt++) {
      const delay = backoff(attempt, 5000);
      const ceiling = Math.min(5000, 200 * 2 ** (attempt - 1));
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});
