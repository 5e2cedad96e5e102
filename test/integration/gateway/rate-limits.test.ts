import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { fromRoot } from '../../../lib/package-root';
import { postReadings, reading, useGateway } from '../../support/gateway';

const run = promisify(execFile);

const batch = (n: number) => {
  const ts = Date.now() - 1_000;
  return Array.from({ length: n }, () => reading({ ts }));
};

describe('rate limits', () => {
  const perKey = useGateway({
    gatewayKeyRatePerSecond: 20,
    gatewayKeyBurst: 40,
    gatewayGlobalRatePerSecond: 0,
    gatewayMaxBatchReadings: 40,
  });
  const global = useGateway({
    gatewayGlobalRatePerSecond: 10,
    gatewayGlobalBurst: 30,
    gatewayMaxBatchReadings: 30,
  });

  it('lets a key spend its burst, then answers 429 with Retry-After and the limit hit', async () => {
    const { key } = await perKey.keys.create(['data:ingest']);
    const first = await postReadings(perKey.gateway.url, key, batch(40));
    expect(first.status).toBe(202);
    expect(
      Object.fromEntries(
        ['ratelimit-limit', 'ratelimit-remaining', 'x-ratelimit-scope'].map((h) => [
          h,
          first.headers.get(h),
        ]),
      ),
    ).toEqual({
      'ratelimit-limit': '40',
      'ratelimit-remaining': '0',
      'x-ratelimit-scope': 'key',
    });

    const refused = await postReadings(perKey.gateway.url, key, batch(10));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('x-ratelimit-scope')).toBe('key');
    expect(refused.headers.get('ratelimit-limit')).toBe('40');
    expect(Number(refused.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.error).toMatchObject({
      code: 'SMP_RATE_LIMITED',
      message: 'the key rate limit is exhausted; retry after 1 s',
    });

    await sleep(1_000);
    expect((await postReadings(perKey.gateway.url, key, batch(10))).status).toBe(202);
  });

  it('keeps each key in its own bucket', async () => {
    const a = await perKey.keys.create(['data:ingest']);
    const b = await perKey.keys.create(['data:ingest']);
    expect((await postReadings(perKey.gateway.url, a.key, batch(40))).status).toBe(202);
    expect((await postReadings(perKey.gateway.url, a.key, batch(1))).status).toBe(429);
    expect((await postReadings(perKey.gateway.url, b.key, batch(40))).status).toBe(202);
  });

  it("applies a key's own rate and burst, and answers a batch beyond the burst with 413", async () => {
    const { key } = await perKey.keys.create(['data:ingest'], { readingsPerSecond: 2, burst: 5 });
    const tooBig = await postReadings(perKey.gateway.url, key, batch(6));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatchObject({
      code: 'SMP_BATCH_TOO_LARGE',
      message:
        'the batch holds 6 readings but the key rate limit allows at most 5 at once; split it into smaller batches',
    });
    expect(tooBig.headers.get('retry-after')).toBeNull();
    expect((await postReadings(perKey.gateway.url, key, batch(5))).status).toBe(202);
    const refused = await postReadings(perKey.gateway.url, key, batch(2));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
  });

  it('takes per-key limits from `smp keys create --rate --burst`', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        fromRoot('bin', 'smp.js'),
        'keys',
        'create',
        '--name',
        'slow-device',
        '--scopes',
        'data:ingest',
        '--rate',
        '1',
        '--burst',
        '3',
        '--json',
      ],
      { env: process.env },
    );
    const { key } = JSON.parse(stdout) as { key: string };
    expect((await postReadings(perKey.gateway.url, key, batch(4))).status).toBe(413);
    const accepted = await postReadings(perKey.gateway.url, key, batch(3));
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('ratelimit-limit')).toBe('3');
    expect((await postReadings(perKey.gateway.url, key, batch(1))).status).toBe(429);
  });

  it('shares the global limit among all keys and names it when it is hit', async () => {
    const a = await perKey.keys.create(['data:ingest']);
    const b = await perKey.keys.create(['data:ingest']);
    expect((await postReadings(global.gateway.url, a.key, batch(30))).status).toBe(202);
    const refused = await postReadings(global.gateway.url, b.key, batch(5));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-scope')).toBe('global');
    expect(refused.body.error.message).toBe('the global rate limit is exhausted; retry after 1 s');
  });

  it('counts rate-limit hits by scope and limit', async () => {
    const text = await (await fetch(`${perKey.gateway.url}/metrics`)).text();
    expect(text).toMatch(/^smp_gateway_rate_limited_total\{scope="key",limit="rate"\} [1-9]/m);
    expect(text).toMatch(/^smp_gateway_rate_limited_total\{scope="key",limit="burst"\} [1-9]/m);
    expect(text).toMatch(/^smp_gateway_readings_rejected_total\{reason="rate_limited"\} [1-9]/m);
  });
});
