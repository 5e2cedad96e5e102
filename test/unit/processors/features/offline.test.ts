import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isSmpError } from '../../../../lib/errors';
import { CMAPSS_DEFAULT_BASE, runOffline } from '../../../../processors/features';
import { CsvReadings } from '../../../../processors/features/offline/read-csv';
import { parseCmapssLine } from '../../../../processors/features/offline/read-cmapss';
import { parseNdjsonLine } from '../../../../processors/features/offline/read-ndjson';
import { testPipeline } from '../../../support/pipeline-definitions';

const dir = mkdtempSync(path.join(os.tmpdir(), 'smp-offline-'));
const at = (text: string, line = 7) => ({ file: 'in.txt', line, text });

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isSmpError(error, 'SMP_INPUT_FILE_INVALID')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('the C-MAPSS reader', () => {
  const line =
    '3 12 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 ' +
    '9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190  ';

  it('maps unit u to asset FD001-u, cycle c to base + c seconds, columns to metrics', () => {
    const reading = parseCmapssLine(at(line), { base: CMAPSS_DEFAULT_BASE, subset: 'FD001' });
    expect(reading).toMatchObject({
      assetId: 'FD001-3',
      ts: Date.UTC(2000, 0, 1) + 12_000,
      metrics: { cycle: 12, setting1: -0.0007, setting3: 100, s1: 518.67, s7: 554.36, s21: 23.419 },
    });
    expect(Object.keys(reading!.metrics)).toHaveLength(25);
  });

  it('says which line is wrong and why', () => {
    const options = { base: 0, subset: 'FD001' };
    expect(errorOf(() => parseCmapssLine(at('1 2 3'), options))).toBe(
      'in.txt:7: expected 26 space-separated columns, found 3',
    );
    expect(errorOf(() => parseCmapssLine(at(line.replace('554.36', 'x')), options))).toContain(
      'column 12 (x) is not a number',
    );
    expect(parseCmapssLine(at('   '), options)).toBeUndefined();
  });
});

describe('the CSV reader', () => {
  it('reads metrics, tags and missing cells', () => {
    const csv = new CsvReadings();
    expect(csv.parse(at('assetId,ts,temp,vib,tag.site', 1))).toBeUndefined();
    expect(csv.parse(at('"pump,7",2026-12-03T10:00:00Z,71.5,,"a ""b"""', 2))).toEqual({
      assetId: 'pump,7',
      ts: Date.UTC(2026, 11, 3, 10),
      metrics: { temp: 71.5 },
      tags: { site: 'a "b"' },
    });
    expect(csv.parse(at('pump-8,1764756000000,1,2,', 3))!.ts).toBe(1764756000000);
  });

  it('refuses what it cannot read, naming the line', () => {
    expect(errorOf(() => new CsvReadings().parse(at('asset,ts,temp', 1)))).toContain(
      'the header has no assetId column',
    );
    const csv = new CsvReadings();
    csv.parse(at('assetId,ts,temp', 1));
    expect(errorOf(() => csv.parse(at('p,1,hot', 4)))).toBe(
      'in.txt:4: temp is "hot", not a finite number',
    );
    expect(errorOf(() => csv.parse(at('p,2026-12-03T10:00:00,1', 5)))).toContain(
      'neither epoch milliseconds nor ISO 8601 with a zone',
    );
    expect(errorOf(() => csv.parse(at('p,1', 6)))).toContain('expected 3 fields, found 2');
    expect(errorOf(() => csv.parse(at('"p,1,1', 8)))).toContain('not closed');
  });
});

describe('the NDJSON reader', () => {
  it('reads readings as the gateway accepts them', () => {
    const text = '{"assetId":"ünï-☃","ts":"2026-12-03T10:00:00.000+01:00","metrics":{"t":1}}';
    expect(parseNdjsonLine(at(text))).toEqual({
      assetId: 'ünï-☃',
      ts: Date.UTC(2026, 11, 3, 9),
      metrics: { t: 1 },
      tags: {},
    });
  });

  it('names the line and the field that is wrong', () => {
    expect(errorOf(() => parseNdjsonLine(at('{"assetId":')))).toContain('in.txt:7: not JSON');
    expect(
      errorOf(() => parseNdjsonLine(at('{"assetId":"a","ts":1,"metrics":{"t":"x"}}'))),
    ).toContain('metrics.t');
  });
});

describe('the offline mode', () => {
  const pipeline = testPipeline({
    window: { type: 'tumbling', sizeMs: 10_000, idleTimeoutMs: 1000 },
    features: { temp: ['mean', 'count'], vib: ['max'] },
  });
  const input = path.join(dir, 'readings.csv');
  writeFileSync(
    input,
    [
      'assetId,ts,temp,vib',
      'a,1000,1,0.5',
      'a,2000,3,',
      'a,2000,4,', // a duplicate: the first one counts
      'b,3000,5,1',
      'a,12000,7,',
      'a,1500,9,', // late
    ].join('\n'),
  );

  it('writes the feature vectors, closing open windows at the end of the input', async () => {
    const out = path.join(dir, 'out.ndjson');
    const summary = await runOffline({ pipeline, input, out });
    expect(summary).toEqual({
      readings: 6,
      vectors: 3,
      late: 1,
      duplicates: 1,
      invalid: 0,
      unrouted: 0,
    });
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        assetId: 'a',
        pipeline: 'test',
        windowStart: 0,
        windowEnd: 10_000,
        recordCount: 2,
        closeReason: 'WATERMARK',
        missingMetrics: [],
        features: { temp_mean: 2, temp_count: 2, vib_max: 0.5 },
      },
      expect.objectContaining({ assetId: 'a', windowStart: 10_000, missingMetrics: ['vib'] }),
      expect.objectContaining({ assetId: 'b', closeReason: 'IDLE', recordCount: 1 }),
    ]);
  });

  it('writes a CSV with a column per feature, byte for byte the same on every run', async () => {
    const first = path.join(dir, 'first.csv');
    const second = path.join(dir, 'second.csv');
    await runOffline({ pipeline, input, out: first, outFormat: 'csv' });
    await runOffline({ pipeline, input, out: second, outFormat: 'csv' });
    const text = readFileSync(first, 'utf8');
    expect(text).toBe(readFileSync(second, 'utf8'));
    expect(text.split('\n')[0]).toBe(
      'assetId,pipeline,windowStart,windowEnd,recordCount,closeReason,missingMetrics,temp_mean,temp_count,vib_max',
    );
    expect(text.split('\n')).toContain('a,test,10000,20000,1,IDLE,vib,7,1,');
  });

  it('stops at an invalid line unless told to skip it', async () => {
    const bad = path.join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"assetId":"a","ts":1,"metrics":{"temp":1}}\nnot json\n');
    await expect(runOffline({ pipeline, input: bad, out: path.join(dir, 'x') })).rejects.toThrow(
      `${bad}:2: not JSON`,
    );
    const skipped: string[] = [];
    const summary = await runOffline({
      pipeline,
      input: bad,
      out: path.join(dir, 'y'),
      skipInvalid: true,
      onInvalid: (e) => skipped.push(e.message),
    });
    expect(summary).toMatchObject({ readings: 1, invalid: 1, vectors: 1 });
    expect(skipped).toEqual([expect.stringContaining(':2: not JSON')]);
  });
});
