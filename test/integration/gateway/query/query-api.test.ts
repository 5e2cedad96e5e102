/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked field by field */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../../../lib/config';
import { createPool, prepareDatabase, withSession, type Pool } from '../../../../lib/db';
import { createLogger } from '../../../../lib/log';
import { createRegistry } from '../../../../lib/metrics';
import {
  ApiKeyStore,
  HTML_PAGE_POLICY,
  startGateway,
  type RunningGateway,
} from '../../../../gateway';
import { queryRoutes } from '../../../../gateway/query';
import { createTestSchema, type TestSchema } from '../../../support/databases';
import { HISTORY, seedHistory } from '../../../support/history-fixtures';
import { freePorts } from '../../../support/servers';

const config = { ...loadConfig(), gatewayPort: 0 };
const logger = createLogger({ level: 'silent', name: 'test-query' });

describe('the query API', () => {
  const run = randomBytes(4).toString('hex');
  const asset = `pump <b>&"${run}"/泵`;
  const path = `/v1/assets/${encodeURIComponent(asset)}`;
  const start = Date.now() - 3 * 3600_000;
  let schema: TestSchema;
  let keysPool: Pool;
  let gateway: RunningGateway;
  let keys: { reports: string; ingest: string; admin: string };
  let base: string;

  beforeAll(async () => {
    schema = await createTestSchema();
    const pool = schema.pool(4);
    await withSession(pool, (s) => prepareDatabase(s, config));
    await seedHistory(pool, asset, start, `alert-${run}`);

    keysPool = createPool(config, { applicationName: 'smp-test-keys' });
    const store = new ApiKeyStore(keysPool);
    keys = {
      reports: (await store.create(`reader-${run}`, ['reports:generate'])).key,
      ingest: (await store.create(`ingest-${run}`, ['data:ingest'])).key,
      admin: (await store.create(`admin-${run}`, ['admin'])).key,
    };
    gateway = await startGateway(config, {
      logger,
      registry: createRegistry(),
      routes: [queryRoutes(pool)],
    });
    base = `http://127.0.0.1:${gateway.port}`;
  });

  afterAll(async () => {
    await gateway?.close();
    await keysPool?.end();
    await schema?.drop();
  });

  const get = (url: string, key: string | undefined = keys.reports) =>
    fetch(`${base}${url}`, { headers: key ? { 'X-API-Key': key } : {} });
  const json = async (url: string, key?: string) => {
    const res = await get(url, key);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  describe('access', () => {
    it('needs a key with the reports:generate scope (or admin)', async () => {
      expect((await json(`${path}/readings`, undefined as never)).status).toBe(200);
      const none = await fetch(`${base}${path}/readings`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as any).error.code).toBe('SMP_AUTH_REQUIRED');
      const ingest = await json(`${path}/readings`, keys.ingest);
      expect(ingest.status).toBe(403);
      expect(ingest.body.error.code).toBe('SMP_SCOPE_MISSING');
      expect((await json(`${path}/readings`, keys.admin)).status).toBe(200);
    });
  });

  describe('readings', () => {
    it('come newest first, whole, with a link to the next page that continues exactly', async () => {
      const first = await json(`${path}/readings?limit=50`);
      expect(first.status).toBe(200);
      expect(first.body.assetId).toBe(asset);
      expect(first.body.readings[0]).toEqual({
        ts: new Date(start + 119 * 60_000).toISOString(),
        metrics: { temp: 79.5, vib: 9 },
        tags: { site: 'a' },
      });
      const pages = [first.body];
      while (pages.at(-1)!.next) pages.push((await json(pages.at(-1)!.next)).body);
      const all = pages.flatMap((p) => p.readings.map((r: { ts: string }) => Date.parse(r.ts)));
      expect(all).toHaveLength(HISTORY.readings);
      expect(new Set(all).size).toBe(HISTORY.readings);
      expect([...all].sort((a, b) => b - a)).toEqual(all);
    });

    it('take ISO-8601 times with any zone or epoch milliseconds, from inclusive and to exclusive', async () => {
      const from = start + 10 * 60_000;
      const to = start + 20 * 60_000;
      const iso = await json(
        `${path}/readings?from=${encodeURIComponent(isoWithOffset(from, 2))}&to=${new Date(to).toISOString()}`,
      );
      const epoch = await json(`${path}/readings?from=${from}&to=${to}`);
      expect(iso.body.count).toBe(10);
      expect(epoch.body).toEqual(iso.body);
      expect(iso.body.readings.at(-1).ts).toBe(new Date(from).toISOString());
    });

    it('filter by metric', async () => {
      const { body } = await json(`${path}/readings?metrics=vib&limit=1`);
      expect(body.readings[0].metrics).toEqual({ vib: 9 });
    });

    it.each([
      ['?form=1', 'form'],
      ['?from=yesterday', 'from'],
      ['?from=2026-12-03T10:00:00', 'from'],
      ['?limit=0', 'limit'],
      ['?limit=10001', 'limit'],
      ['?limit=5&limit=6', 'limit'],
      ['?from=2000&to=1000', 'from'],
    ])('refuse %s with a 400 naming the parameter', async (query, parameter) => {
      const { status, body } = await json(`${path}/readings${query}`);
      expect(status).toBe(400);
      expect(body.error.code).toBe('SMP_BAD_REQUEST');
      expect(body.error.details).toEqual([expect.objectContaining({ parameter })]);
      expect(JSON.stringify(body)).not.toMatch(/SELECT|reading_meta/);
    });

    it('are an empty list for an asset without data', async () => {
      const { status, body } = await json(`/v1/assets/unknown-${run}/readings`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ count: 0, readings: [], next: null });
    });
  });

  describe('predictions', () => {
    it('come newest first and filter by model', async () => {
      const { body } = await json(`${path}/predictions?model=rul-cmapss&limit=3`);
      expect(body.predictions.map((p: any) => p.outputs.rul)).toEqual([189, 190, 191]);
      expect(body.truncated).toBe(true);
      const all = await json(`${path}/predictions`);
      expect(all.body.count).toBe(18);
    });
  });

  describe('alerts', () => {
    it('come newest opened first, filtered by asset, state, severity and time', async () => {
      const mine = await json(`/v1/alerts?assetId=${encodeURIComponent(asset)}`);
      expect(mine.body.alerts.map((a: any) => a.alertId)).toEqual([
        `alert-${run}-open`,
        `alert-${run}-resolved`,
      ]);
      const open = await json(`/v1/alerts?assetId=${encodeURIComponent(asset)}&state=raised`);
      expect(open.body.alerts.map((a: any) => a.alertId)).toEqual([`alert-${run}-open`]);
      const critical = await json(
        `/v1/alerts?assetId=${encodeURIComponent(asset)}&severity=CRITICAL`,
      );
      expect(critical.body.count).toBe(1);
      // Resolved before `since`: only the open one was still active then.
      const since = await json(
        `/v1/alerts?assetId=${encodeURIComponent(asset)}&since=${start + 60 * 60_000}`,
      );
      expect(since.body.alerts.map((a: any) => a.alertId)).toEqual([`alert-${run}-open`]);
      expect((await json('/v1/alerts?state=maybe')).status).toBe(400);
    });

    it('keep the first acknowledgement, who and when, and every later one in the history', async () => {
      const id = encodeURIComponent(`alert-${run}-open`);
      const first = await fetch(`${base}/v1/alerts/${id}/ack`, {
        method: 'POST',
        headers: { 'X-API-Key': keys.reports, 'Content-Type': 'application/json' },
        body: JSON.stringify({ note: 'on it' }),
      });
      const firstBody = (await first.json()) as any;
      const second = await fetch(`${base}/v1/alerts/${id}/ack`, {
        method: 'POST',
        headers: { 'X-API-Key': keys.admin },
      });
      const secondBody = (await second.json()) as any;

      expect(first.status).toBe(200);
      expect(firstBody.alreadyAcknowledged).toBe(false);
      expect(firstBody.alert.acknowledgement).toMatchObject({ name: `reader-${run}` });
      expect(Date.now() - Date.parse(firstBody.alert.acknowledgement.at)).toBeLessThan(60_000);
      expect(secondBody.alreadyAcknowledged).toBe(true);
      expect(secondBody.alert.acknowledgement).toEqual(firstBody.alert.acknowledgement);
      const history = await schema
        .pool(1)
        .query('SELECT key_name, note FROM alert_acks WHERE alert_id = $1 ORDER BY id', [
          `alert-${run}-open`,
        ]);
      expect(history.rows).toEqual([
        { key_name: `reader-${run}`, note: 'on it' },
        { key_name: `admin-${run}`, note: null },
      ]);
    });

    it('answer 404 for an unknown alert and 400 for a body that is not {note}', async () => {
      const post = (id: string, body?: string) =>
        fetch(`${base}/v1/alerts/${id}/ack`, {
          method: 'POST',
          headers: { 'X-API-Key': keys.reports, 'Content-Type': 'application/json' },
          body,
        });
      expect((await post(`nope-${run}`)).status).toBe(404);
      expect((await post(`alert-${run}-open`, '{"who":"me"}')).status).toBe(400);
      expect((await post(`alert-${run}-open`, '{"note":')).status).toBe(400);
    });
  });

  describe('asset reports', () => {
    it('summarise metrics, predictions and alerts as JSON', async () => {
      const { status, body } = await json(`/v1/reports/assets/${encodeURIComponent(asset)}`);
      expect(status).toBe(200);
      // The range ends just after the newest data: the last prediction, at +120 min.
      expect(body.to).toBe(new Date(start + 120 * 60_000 + 1).toISOString());
      // With less than a day of history, it starts at the oldest reading.
      expect(body.from).toBe(new Date(start).toISOString());
      const temp = body.readings.metrics.find((m: any) => m.metric === 'temp');
      expect(temp).toMatchObject({ count: 120, min: HISTORY.temp.min, max: HISTORY.temp.max });
      expect(temp.mean).toBeCloseTo(HISTORY.temp.mean, 9);
      expect(temp.last.value).toBe(HISTORY.temp.last);
      expect(body.predictions.count).toBe(18);
      expect(body.predictions.latest).toMatchObject({ model: 'rul-cmapss', outputs: { rul: 189 } });
      expect(body.alerts).toMatchObject({
        total: 2,
        open: 1,
        bySeverity: { CRITICAL: 1, WARNING: 1 },
      });
    });

    it('render a self-contained HTML page with charts, escaping what came from data', async () => {
      const res = await get(`/v1/reports/assets/${encodeURIComponent(asset)}?format=html`);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toBe(HTML_PAGE_POLICY);
      expect(html).toContain('pump &lt;b&gt;&amp;&quot;');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
      expect(html).not.toMatch(/<script/i);
      expect(html.match(/<svg /g)?.length).toBe(2 + 2);
      expect(html).toMatch(/class="shade critical"/);
      expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:/);
    });

    it('answer 404 for an asset with nothing stored', async () => {
      const { status, body } = await json(`/v1/reports/assets/nothing-${run}`);
      expect(status).toBe(404);
      expect(body.error.code).toBe('SMP_NOT_FOUND');
    });
  });

  it('answers 503 with Retry-After when the database cannot be reached', async () => {
    const [port] = await freePorts(1);
    const unreachable = new pg.Pool({
      connectionString: `postgres://smp:smp@127.0.0.1:${port}/smp`,
      connectionTimeoutMillis: 1000,
    });
    const down = await startGateway(config, {
      logger,
      registry: createRegistry(),
      routes: [queryRoutes(unreachable)],
    });
    try {
      const res = await fetch(`http://127.0.0.1:${down.port}${path}/readings`, {
        headers: { 'X-API-Key': keys.reports },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(((await res.json()) as any).error.code).toBe('SMP_DATABASE_UNAVAILABLE');
    } finally {
      await down.close();
      await unreachable.end();
    }
  });
});

/** An ISO-8601 time written in a zone `hours` east of UTC. */
function isoWithOffset(ms: number, hours: number): string {
  const local = new Date(ms + hours * 3600_000).toISOString().slice(0, 23);
  return `${local}+${String(hours).padStart(2, '0')}:00`;
}
