import { migrate } from '../../../../lib/db';
import { buildAssetReport } from '../../../../gateway/query/asset-report';
import { findAlerts, findPredictions, findReadings } from '../../../../gateway/query/history-store';
import { HISTORY, seedHistory } from '../../../support/history-fixtures';
import { openPglite, type EmbeddedDatabase } from '../../../support/databases';

/** The query side's SQL on TimescaleDB: hypertables and the continuous aggregate. */
describe('history queries on TimescaleDB', () => {
  let db: EmbeddedDatabase;
  const start = Date.UTC(2026, 10, 20, 8);

  beforeAll(async () => {
    db = await openPglite({ timescale: true });
    await migrate(db.session);
    await seedHistory(db.session, 'pump-ts', start, 'ts-alert');
  }, 60_000);

  afterAll(async () => {
    await db.close();
  });

  it('read whole readings newest first', async () => {
    const rows = await findReadings(db.session, 'pump-ts', { limit: 2 });
    expect(rows).toEqual([
      { ts: new Date(start + 119 * 60_000), metrics: { temp: 79.5, vib: 9 }, tags: { site: 'a' } },
      { ts: new Date(start + 118 * 60_000), metrics: { temp: 79, vib: 8 }, tags: { site: 'a' } },
    ]);
  });

  it('read predictions and alerts with their filters', async () => {
    const predictions = await findPredictions(db.session, 'pump-ts', {
      limit: 100,
      model: 'anomaly',
    });
    expect(predictions.map((p) => p.outputs.score)).toEqual([0.5, 0.4, 0.3, 0.2, 0.1, 0]);
    const open = await findAlerts(db.session, { assetId: 'pump-ts', state: 'RAISED', limit: 10 });
    expect(open.map((a) => a.alertId)).toEqual(['ts-alert-open']);
  });

  it('report from raw readings for a short range and from the hourly aggregate for a long one', async () => {
    const short = await buildAssetReport(db.session, 'pump-ts', {});
    const long = await buildAssetReport(db.session, 'pump-ts', {
      from: start - 20 * 24 * 3600_000,
      to: start + 24 * 3600_000,
    });

    expect(short?.source).toBe('readings');
    expect(long?.source).toBe('readings_hourly');
    for (const report of [short!, long!]) {
      const temp = report.readings.metrics.find((m) => m.metric === 'temp');
      expect(temp).toMatchObject({ count: HISTORY.readings, min: 20, max: 79.5 });
      expect(temp?.mean).toBeCloseTo(HISTORY.temp.mean, 9);
      expect(temp?.last?.value).toBe(HISTORY.temp.last);
      expect(report.alerts).toMatchObject({ total: 2, open: 1 });
    }
  });
});
