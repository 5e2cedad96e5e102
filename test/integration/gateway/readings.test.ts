import { gzipSync } from 'node:zlib';
import { postReadings, reading, useGateway, useReadingsTopic } from '../../support/gateway';

describe('POST /v1/readings against the real stack', () => {
  const fixture = useGateway();
  const { producedBy } = useReadingsTopic(() => fixture.gateway.config);
  let gateway: typeof fixture.gateway;
  let keys: typeof fixture.keys;
  let key: string;

  beforeAll(async () => {
    ({ gateway, keys } = fixture);
    key = (await keys.create(['data:ingest'])).key;
  });

  it('puts exactly the accepted readings on the topic, keyed by asset, with the correlation id', async () => {
    const ts = Date.now() - 5_000;
    const sent = [
      reading({ ts, metrics: { temp: 1.5, vib_rms: -0.25 } }),
      reading({ ts: new Date(ts).toISOString().replace('Z', '+00:00'), tags: undefined }),
      reading({ assetId: 'pompe-é-7', ts: ts + 1, metrics: { pressure: 1e-300 } }),
    ];
    let answer: Awaited<ReturnType<typeof postReadings>> | undefined;
    const records = await producedBy(async () => {
      answer = await postReadings(
        gateway.url,
        key,
        { readings: sent },
        {
          'x-correlation-id': 'client-run-42',
        },
      );
    });

    expect(answer?.status).toBe(202);
    expect(answer?.body).toEqual({ accepted: 3 });
    expect(answer?.headers.get('x-correlation-id')).toBe('client-run-42');
    expect(records).toHaveLength(3);
    const byAsset = new Map(records.map((r) => [r.key, r]));
    for (const r of sent) {
      const record = byAsset.get(r.assetId as string)!;
      expect(record.value).toEqual({
        assetId: r.assetId,
        ts: typeof r.ts === 'number' ? r.ts : Date.parse(r.ts as string),
        metrics: r.metrics,
        tags: r.tags ?? {},
        receivedAt: expect.any(Number),
      });
      expect(record.headers['x-correlation-id']?.toString()).toBe('client-run-42');
    }
    const received = (records[0]!.value as { receivedAt: number }).receivedAt;
    expect(Math.abs(received - Date.now())).toBeLessThan(60_000);
  });

  it('takes a bare JSON array, NDJSON and gzip-compressed bodies alike', async () => {
    const array = [reading(), reading()];
    const lines = [reading(), reading(), reading()];
    const zipped = [reading()];
    const records = await producedBy(async () => {
      expect((await postReadings(gateway.url, key, array)).body).toEqual({ accepted: 2 });
      const ndjson = `${lines.map((r) => JSON.stringify(r)).join('\r\n')}\n\n`;
      const answer = await postReadings(gateway.url, key, ndjson, {
        'content-type': 'application/x-ndjson',
      });
      expect(answer.body).toEqual({ accepted: 3 });
      const gz = await postReadings(gateway.url, key, gzipSync(JSON.stringify(zipped)), {
        'content-encoding': 'gzip',
      });
      expect(gz.body).toEqual({ accepted: 1 });
    });
    expect(records.map((r) => r.key).sort()).toEqual(
      [...array, ...lines, ...zipped].map((r) => r.assetId as string).sort(),
    );
  });

  it('puts nothing on Kafka when one reading of a batch is bad', async () => {
    const batch = Array.from({ length: 50 }, () => reading());
    batch[37] = reading({ metrics: { temp: 'warm' } });
    const marker = reading();
    let refused: Awaited<ReturnType<typeof postReadings>> | undefined;
    const records = await producedBy(async () => {
      refused = await postReadings(gateway.url, key, batch);
      await postReadings(gateway.url, key, [marker]);
    });
    expect(refused?.status).toBe(400);
    expect(refused?.body.error).toEqual({
      code: 'SMP_VALIDATION_FAILED',
      message: '1 of 50 readings are invalid; nothing was accepted',
      details: [
        { index: 37, path: 'metrics.temp', message: 'must be a number, not the string "warm"' },
      ],
    });
    expect(records.map((r) => r.key)).toEqual([marker.assetId]);
  });

  it('names the line of a bad NDJSON reading', async () => {
    const body = `${JSON.stringify(reading())}\n\n${JSON.stringify(reading({ ts: '2026-01-01T00:00:00' }))}\n`;
    const answer = await postReadings(gateway.url, key, body, {
      'content-type': 'application/x-ndjson',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      { index: 1, line: 3, path: 'ts', message: expect.stringMatching(/no UTC offset/) },
    ]);
  });

  it.each([
    ['malformed JSON', '{"readings":[{"assetId":"a",}]}', 'SMP_MALFORMED_BODY', /not valid JSON/],
    [
      'a NaN literal',
      '[{"assetId":"a","ts":0,"metrics":{"x":NaN}}]',
      'SMP_MALFORMED_BODY',
      /not valid JSON/,
    ],
    ['an empty body', '', 'SMP_MALFORMED_BODY', /not valid JSON/],
    ['a single reading without array', JSON.stringify(reading()), 'SMP_MALFORMED_BODY', /wrapped/],
    ['an empty envelope', '{"readings":[]}', 'SMP_VALIDATION_FAILED', /no readings/],
    ['an empty array', '[]', 'SMP_VALIDATION_FAILED', /no readings/],
  ])('answers %s with 400 and the contract error body', async (_name, body, code, message) => {
    const answer = await postReadings(gateway.url, key, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: { code, message: expect.stringMatching(message), details: expect.any(Array) },
      correlationId: answer.headers.get('x-correlation-id'),
    });
    expect(answer.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it.each([
    ['a number as asset id', { assetId: 7 }, 'assetId', /must be a string/],
    ['a missing ts', { ts: undefined }, 'ts', /is required/],
    ['a string metric', { metrics: { t: '71.2' } }, 'metrics.t', /must be a number/],
    ['an overflowing number', '1e999', 'metrics.x', /finite/],
    ['a far-future ts', { ts: Date.now() + 3_600_000 }, 'ts', /ahead of the gateway's clock/],
    ['an ancient ts', { ts: '1999-01-01T00:00:00Z' }, 'ts', /more than 400 days old/],
    ['epoch seconds', { ts: Math.floor(Date.now() / 1000) }, 'ts', /epoch seconds\?/],
    ['a ts without zone', { ts: '2026-12-01T10:00:00' }, 'ts', /no UTC offset/],
    ['an emoji asset id', { assetId: 'pump-🔥' }, 'assetId', /does not match/],
    ['a non-NFC asset id', { assetId: 'pompe-e\u0301' }, 'assetId', /NFC/],
    ['a misplaced metric', { temp: 3 }, 'temp', /not a field/],
  ])('refuses %s, naming the path', async (_name, change, path, message) => {
    const body =
      typeof change === 'string'
        ? `[{"assetId":"a","ts":${Date.now()},"metrics":{"x":${change}}}]`
        : [reading(change)];
    const answer = await postReadings(gateway.url, key, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('SMP_VALIDATION_FAILED');
    expect(answer.body.error.details).toEqual([
      { index: 0, path, message: expect.stringMatching(message) },
    ]);
  });

  it('refuses a second reading of one asset at one instant in the same batch', async () => {
    const first = reading();
    const answer = await postReadings(gateway.url, key, [
      first,
      { ...first, metrics: { other: 1 } },
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0]).toMatchObject({ index: 1, path: 'ts' });
  });

  it.each([
    ['no content type', { 'content-type': '' }],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form data', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['another charset', { 'content-type': 'application/json; charset=iso-8859-1' }],
    ['an unknown encoding', { 'content-encoding': 'compress' }],
  ])('answers %s with 415', async (_name, headers) => {
    const answer = await postReadings(gateway.url, key, [reading()], headers);
    expect(answer.status).toBe(415);
    expect(answer.body.error.code).toBe('SMP_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a huge body with 413 without reading all of it', async () => {
    const huge = Buffer.alloc(gateway.config.gatewayMaxBodyBytes * 4, 0x20);
    const answer = await postReadings(gateway.url, key, huge);
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('SMP_BODY_TOO_LARGE');
  });

  it('answers a huge batch with 413 naming the limit', async () => {
    const limit = gateway.config.gatewayMaxBatchReadings;
    const body = Array.from({ length: limit + 1 }, () => ({
      assetId: 'a',
      ts: 0,
      metrics: { x: 1 },
    }));
    const answer = await postReadings(gateway.url, key, body);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({
      code: 'SMP_BATCH_TOO_LARGE',
      message: `the batch holds ${limit + 1} readings; at most ${limit} are accepted per request`,
    });
  });

  it('generates a correlation id when none or a dangerous one is sent', async () => {
    const none = await postReadings(gateway.url, key, [reading()]);
    expect(none.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    const dangerous = await postReadings(gateway.url, key, [reading()], {
      'x-correlation-id': 'a'.repeat(500),
    });
    expect(dangerous.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers and no X-Powered-By, on success and on error', async () => {
    for (const answer of [
      await postReadings(gateway.url, key, [reading()]),
      await postReadings(gateway.url, key, 'nope'),
    ]) {
      expect(answer.headers.get('x-powered-by')).toBeNull();
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('writes one audit line per request with key id, route, count and outcome', async () => {
    const { id, key: other } = await keys.create(['data:ingest']);
    await postReadings(gateway.url, other, [reading(), reading()], {
      'x-correlation-id': 'audit-1',
    });
    await postReadings(gateway.url, other, [reading({ ts: 'x' })], {
      'x-correlation-id': 'audit-2',
    });
    const lines = gateway.logs
      .map((l) => JSON.parse(l))
      .filter((l) => l.correlationId === 'audit-1' || l.correlationId === 'audit-2');
    expect(lines).toEqual([
      expect.objectContaining({
        correlationId: 'audit-1',
        keyId: id,
        route: '/v1/readings',
        status: 202,
        count: 2,
        outcome: 'accepted',
      }),
      expect.objectContaining({
        correlationId: 'audit-2',
        keyId: id,
        route: '/v1/readings',
        status: 400,
        count: 1,
        outcome: 'SMP_VALIDATION_FAILED',
      }),
    ]);
  });

  it('counts accepted and rejected readings, problems and produce latency in /metrics', async () => {
    await postReadings(gateway.url, key, [reading(), reading()]);
    await postReadings(gateway.url, key, [reading(), reading({ ts: Date.now() + 86_400_000 })]);
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/^smp_gateway_readings_accepted_total [1-9]\d*$/m);
    expect(text).toMatch(/^smp_gateway_readings_rejected_total\{reason="invalid"\} [1-9]/m);
    expect(text).toMatch(/^smp_gateway_reading_problems_total\{rule="ts_future"\} [1-9]/m);
    expect(text).toMatch(/^smp_gateway_produce_duration_seconds_count [1-9]/m);
    expect(text).toMatch(/^smp_gateway_in_flight_bytes 0$/m);
    expect(text).toMatch(
      /^smp_http_requests_total\{route="\/v1\/readings",method="POST",status="202"\} [1-9]/m,
    );
  });
});
