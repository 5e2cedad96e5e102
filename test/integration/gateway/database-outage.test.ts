import { createPool, migrate, withSession } from '../../../lib/db';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/servers';
import {
  TestKeys,
  postReadings,
  reading,
  startTestGateway,
  type TestGateway,
} from '../../support/gateway';

/**
 * The key store is the gateway's only use of the database: when it goes
 * away, keys already seen keep working, unknown keys get 503 with
 * Retry-After (never 500), and the gateway recovers by itself.
 */
describe('a database outage', () => {
  let database: PrivatePostgres;
  let gateway: TestGateway;
  let keys: TestKeys;

  beforeAll(async () => {
    database = await startPrivatePostgres();
    const pool = createPool(database.config, { applicationName: 'smp-test', max: 1 });
    await withSession(pool, (session) => migrate(session));
    await pool.end();
    gateway = await startTestGateway({ databaseUrl: database.url, gatewayKeyCacheMs: 300 });
    keys = new TestKeys(database.config);
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await keys?.close();
    await database?.dispose();
  }, 60_000);

  it('keeps known keys working, answers others 503, and recovers', async () => {
    const known = await keys.create(['data:ingest']);
    const unseen = await keys.create(['data:ingest']);
    expect((await postReadings(gateway.url, known.key, [reading()])).status).toBe(202);

    await database.service.stop();
    await new Promise((r) => setTimeout(r, 500));

    const stillWorks = await postReadings(gateway.url, known.key, [reading()]);
    expect(stillWorks.status).toBe(202);
    const refused = await postReadings(gateway.url, unseen.key, [reading()]);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('SMP_DATABASE_UNAVAILABLE');
    expect(refused.headers.get('retry-after')).toBe('5');
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(gateway.logs.filter((l) => /"level":"error"/.test(l))).toEqual([]);

    await database.service.start();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const answer = await postReadings(gateway.url, unseen.key, [reading()]);
      if (answer.status === 202) break;
      expect(answer.status).toBe(503);
      if (Date.now() > deadline) throw new Error('the gateway did not recover');
      await new Promise((r) => setTimeout(r, 500));
    }
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  }, 90_000);
});
