import { bodyFormat, parseReadingsBody } from '../../../../gateway/ingest/parse-body';
import { SmpError } from '../../../../lib/errors';

function failure(fn: () => unknown): SmpError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SmpError) return error;
    throw error;
  }
  throw new Error('expected an SmpError');
}

const json = (text: string) => parseReadingsBody(Buffer.from(text), 'json');
const ndjson = (text: string) => parseReadingsBody(Buffer.from(text), 'ndjson');

describe('request bodies', () => {
  it('chooses the format by content type and refuses the rest with 415', () => {
    expect(bodyFormat('application/json')).toBe('json');
    expect(bodyFormat('Application/JSON; charset=UTF-8')).toBe('json');
    expect(bodyFormat('application/x-ndjson')).toBe('ndjson');
    expect(bodyFormat('application/ndjson; charset="utf-8"')).toBe('ndjson');
    for (const type of [undefined, '', 'text/plain', 'application/xml', 'multipart/form-data']) {
      expect(failure(() => bodyFormat(type)).code).toBe('SMP_UNSUPPORTED_MEDIA_TYPE');
    }
    expect(failure(() => bodyFormat('application/json; charset=latin1')).message).toMatch(/UTF-8/);
  });

  it('reads an envelope, a bare array and NDJSON', () => {
    expect(json('{"readings":[{"a":1}]}').items).toEqual([{ a: 1 }]);
    expect(json('[{"a":1},{"a":2}]').items).toEqual([{ a: 1 }, { a: 2 }]);
    expect(json('\ufeff[]').items).toEqual([]);
    const lines = ndjson('{"a":1}\r\n\n  \n{"a":2}\n');
    expect(lines.items).toEqual([{ a: 1 }, { a: 2 }]);
    expect(lines.lines).toEqual([1, 4]);
  });

  it('says where malformed JSON stops making sense', () => {
    const error = failure(() => json('{"readings":[{"a":1},]}'));
    expect(error.code).toBe('SMP_MALFORMED_BODY');
    expect(error.message).toMatch(/^the body is not valid JSON: Unexpected token ']'/);
    expect(failure(() => json('')).code).toBe('SMP_MALFORMED_BODY');
    expect(failure(() => json('[NaN]')).code).toBe('SMP_MALFORMED_BODY');
  });

  it('names the NDJSON lines that are not JSON', () => {
    const error = failure(() => ndjson('{"a":1}\n{"a":\n{"a":3}\nnope'));
    expect(error.code).toBe('SMP_MALFORMED_BODY');
    expect(error.message).toMatch(/^2 line\(s\) are not valid JSON; the first is line 2/);
    expect(error.details).toEqual([
      { line: 2, message: expect.any(String) },
      { line: 4, message: expect.any(String) },
    ]);
  });

  it('refuses JSON of another shape, saying which shape is expected', () => {
    expect(failure(() => json('{"assetId":"a"}')).message).toMatch(/wrapped in an array/);
    expect(failure(() => json('{"readings":[],"extra":1}')).message).toMatch(/"extra"/);
    expect(failure(() => json('{"readings":{}}')).code).toBe('SMP_MALFORMED_BODY');
    expect(failure(() => json('"text"')).code).toBe('SMP_MALFORMED_BODY');
    expect(failure(() => json('null')).code).toBe('SMP_MALFORMED_BODY');
  });

  it('refuses bytes that are not UTF-8', () => {
    const error = failure(() => parseReadingsBody(Buffer.from([0x5b, 0xff, 0x5d]), 'json'));
    expect(error.message).toBe('the body is not valid UTF-8');
  });
});
