import type { KafkaMessage } from 'kafkajs';
import { alertsTable } from '../../../../processors/sink/tables/alerts-table';
import { featuresTable } from '../../../../processors/sink/tables/features-table';
import { readingsTable } from '../../../../processors/sink/tables/readings-table';
import { chunks } from '../../../../processors/sink/topic-consumer';
import type { ReadingRecord } from '../../../../processors/sink';

const reading: ReadingRecord = {
  assetId: 'pump-7',
  ts: Date.UTC(2026, 11, 3),
  metrics: { temp: 71.2 },
  tags: { site: 'a' },
  receivedAt: null,
};

describe('records the database could never store', () => {
  it.each([
    [{ assetId: '' }, 'assetId is empty'],
    [{ assetId: 'a\u0000b' }, 'assetId contains a NUL character'],
    [{ assetId: 'x'.repeat(801) }, 'assetId is longer than 800 bytes'],
    [{ ts: 9e15 }, 'ts 9000000000000000 is not a storable time'],
    [
      { metrics: { temp: Number.POSITIVE_INFINITY } },
      'metrics.temp is Infinity, not a finite number',
    ],
    [{ metrics: { ['t\u0000']: 1 } }, 'metrics name contains a NUL character'],
    [{ tags: { site: 'a\u0000' } }, 'tags.site contains a NUL character'],
  ])('include a reading with %j', (change, problem) => {
    expect(readingsTable.problem({ ...reading, ...change })).toBe(problem);
  });

  it('do not include a well-formed reading, unicode and an empty metric map included', () => {
    expect(readingsTable.problem({ ...reading, assetId: '泵 <7>', metrics: {} })).toBeUndefined();
  });

  it('include non-finite feature values and alert values', () => {
    const vector = {
      assetId: 'a',
      pipeline: 'p',
      windowStart: 0,
      windowEnd: 1,
      recordCount: 1,
      features: { x_std: Number.NaN },
      missingMetrics: [],
      closeReason: 'IDLE',
      emittedAt: 2,
    };
    expect(featuresTable.problem(vector)).toBe('features.x_std is NaN, not a finite number');
    const alert = {
      alertId: 'a',
      assetId: 'b',
      rule: 'r',
      pipeline: 'p',
      state: 'RAISED' as const,
      severity: 'INFO',
      message: 'm',
      value: Number.NaN,
      eventTime: 0,
      emittedAt: 0,
    };
    expect(alertsTable.problem(alert)).toBe('value is NaN');
  });
});

describe('cutting a fetched batch into transactions', () => {
  const message = (offset: number, bytes: number) =>
    ({ offset: String(offset), key: null, value: Buffer.alloc(bytes) }) as unknown as KafkaMessage;

  it('bounds each by record count and bytes, keeping order', () => {
    const messages = Array.from({ length: 10 }, (_, i) => message(i, 100));
    const byCount = chunks(messages, { maxRecords: 4, maxBytes: 1e9 });
    expect(byCount.map((c) => c.map((m) => Number(m.offset)))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    const byBytes = chunks(messages, { maxRecords: 100, maxBytes: 250 });
    expect(byBytes.map((c) => c.length)).toEqual([2, 2, 2, 2, 2]);
  });

  it('puts a record larger than the byte limit in a transaction of its own', () => {
    const sizes = chunks([message(0, 10), message(1, 5000), message(2, 10)], {
      maxRecords: 100,
      maxBytes: 1000,
    }).map((c) => c.length);
    expect(sizes).toEqual([1, 1, 1]);
  });
});
