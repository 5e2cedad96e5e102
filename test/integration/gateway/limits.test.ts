import { postReadings, reading, useGateway } from '../../support/gateway';

/** Each configured limit: the value at the limit passes, one beyond it is refused. */
describe('configurable ingest limits', () => {
  const DAY = 86_400_000;
  const fixture = useGateway({
    gatewayMaxBodyBytes: 2_048,
    gatewayMaxBatchReadings: 3,
    gatewayMaxMetrics: 2,
    gatewayMaxAssetIdLength: 6,
    gatewayAssetIdPattern: /^[a-z][a-z0-9-]*$/u,
    gatewayMaxTags: 1,
    gatewayMaxTagValueLength: 4,
    gatewayMaxClockSkewMs: 10_000,
    gatewayMaxReadingAgeDays: 2,
  });
  let key: string;

  beforeAll(async () => {
    key = (await fixture.keys.create(['data:ingest'])).key;
  });

  const one = (overrides: Record<string, unknown>) => [
    reading({ assetId: 'p-1', tags: {}, metrics: { a: 1 }, ...overrides }),
  ];

  async function expectAccepted(body: unknown) {
    const answer = await postReadings(fixture.gateway.url, key, body);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 202,
      body: { accepted: Array.isArray(body) ? body.length : expect.any(Number) },
    });
  }

  async function expectRefused(body: unknown, status: number, pattern: RegExp) {
    const answer = await postReadings(fixture.gateway.url, key, body);
    expect(answer.status).toBe(status);
    const details = JSON.stringify(answer.body.error.details);
    expect(`${answer.body.error.message} ${details}`).toMatch(pattern);
  }

  it('limits the body size', async () => {
    await expectAccepted(one({ tags: { t: 'x'.repeat(4) } }));
    await expectRefused('[' + ' '.repeat(2_048) + ']', 413, /larger than the limit of 2048 bytes/);
  });

  it('limits the readings per batch', async () => {
    const ts = Date.now() - 1_000;
    await expectAccepted(
      [1, 2, 3].map((i) => reading({ assetId: `p-${i}`, ts, metrics: { a: 1 }, tags: {} })),
    );
    await expectRefused(
      [1, 2, 3, 4].map((i) => reading({ assetId: `p-${i}`, ts })),
      413,
      /at most 3 are accepted/,
    );
  });

  it('limits the metrics per reading', async () => {
    await expectAccepted(one({ metrics: { a: 1, b: 2 } }));
    await expectRefused(one({ metrics: { a: 1, b: 2, c: 3 } }), 400, /holds 3 metrics; at most 2/);
  });

  it('limits asset id length and characters', async () => {
    await expectAccepted(one({ assetId: 'abcdef' }));
    await expectRefused(one({ assetId: 'abcdefg' }), 400, /1 to 6 characters, not 7/);
    await expectRefused(one({ assetId: 'ABC' }), 400, /does not match/);
    await expectRefused(one({ assetId: 'pümp' }), 400, /does not match/);
  });

  it('limits tag count and size', async () => {
    await expectAccepted(one({ tags: { site: 'abcd' } }));
    await expectRefused(one({ tags: { site: 'a', line: 'b' } }), 400, /holds 2 tags; at most 1/);
    await expectRefused(one({ tags: { site: 'abcde' } }), 400, /holds 5 characters; at most 4/);
  });

  it('limits how far ahead and how far back ts may be', async () => {
    const now = Date.now();
    await expectAccepted(one({ ts: now + 5_000 }));
    await expectRefused(
      one({ ts: now + 60_000 }),
      400,
      /ahead of the gateway's clock; at most 10 s/,
    );
    await expectAccepted(one({ ts: now - 1.9 * DAY }));
    await expectRefused(
      one({ ts: new Date(now - 2.1 * DAY).toISOString() }),
      400,
      /more than 2 days old/,
    );
  });
});
