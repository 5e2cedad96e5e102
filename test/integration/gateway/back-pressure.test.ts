import { postReadings, reading, useGateway } from '../../support/gateway';

/**
 * With a tiny in-flight budget, batches that arrive while another waits for
 * Kafka are shed at once with 503 and Retry-After, instead of queueing, and
 * the rate-limit tokens they took are given back.
 */
describe('back-pressure', () => {
  const fixture = useGateway({ gatewayMaxInFlightBytes: 64 * 1024 });

  it('sheds batches beyond the in-flight budget with 503 and gives their tokens back', async () => {
    // Tokens for every batch, refilled far slower than the test runs.
    const { key } = await fixture.keys.create(['data:ingest'], {
      readingsPerSecond: 1,
      burst: 8_001,
    });
    const ts = Date.now() - 1_000;
    const batches = Array.from({ length: 8 }, () =>
      Array.from({ length: 1_000 }, () => reading({ ts })),
    );
    const answers = await Promise.all(
      batches.map((b) => postReadings(fixture.gateway.url, key, b)),
    );

    const shed = answers.filter((a) => a.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    for (const a of shed) {
      expect(a.body.error.code).toBe('SMP_OVERLOADED');
      expect(a.headers.get('retry-after')).toBe('1');
    }
    const accepted = answers.filter((a) => a.status === 202).length;
    expect(accepted + shed.length).toBe(8);
    expect(accepted).toBeGreaterThanOrEqual(1);

    // Only accepted batches keep their tokens: shed ones took none or gave them back.
    const probe = await postReadings(fixture.gateway.url, key, [reading()]);
    expect(probe.status).toBe(202);
    const remaining = Number(probe.headers.get('ratelimit-remaining'));
    expect(remaining).toBeGreaterThanOrEqual(8_000 - 1_000 * accepted);
    expect(remaining).toBeLessThan(8_000 - 1_000 * accepted + 30);

    const metrics = await (await fetch(`${fixture.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^smp_gateway_readings_rejected_total\{reason="overloaded"\} [1-9]/m);
  });

  it('answers a gzip bomb with 413 once the inflated body passes the limit', async () => {
    const { key } = await fixture.keys.create(['data:ingest']);
    const { gzipSync } = await import('node:zlib');
    const bomb = gzipSync(Buffer.alloc(fixture.gateway.config.gatewayMaxBodyBytes * 8, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    const answer = await postReadings(fixture.gateway.url, key, bomb, {
      'content-encoding': 'gzip',
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('SMP_BODY_TOO_LARGE');
  });
});

describe('the receiving budget', () => {
  const fixture = useGateway({ gatewayMaxReceivingBytes: 64 * 1024 });

  it('refuses bodies beyond what the gateway may receive at once, before reading them', async () => {
    const { key } = await fixture.keys.create(['data:ingest']);
    const ts = Date.now() - 1_000;
    const big = () => Array.from({ length: 1_000 }, () => reading({ ts }));
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => postReadings(fixture.gateway.url, key, big())),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses).toContain(202);
    expect(statuses).toContain(503);
    expect(statuses.every((s) => s === 202 || s === 503)).toBe(true);
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(a.body.error).toMatchObject({
        code: 'SMP_OVERLOADED',
        message: 'the gateway is receiving as much data as it may; retry shortly',
      });
    }
    // Once the others are done, the budget is whole again.
    expect((await postReadings(fixture.gateway.url, key, big())).status).toBe(202);
  });
});
