import { BinaryCopyBuffer } from '../../../../lib/db';

function bytes(buffer: BinaryCopyBuffer): Buffer {
  return Buffer.concat(buffer.finish());
}

const HEADER = 11 + 4 + 4;

describe('binary COPY encoding', () => {
  it('writes the signature, the rows and the trailer', () => {
    const out = bytes(new BinaryCopyBuffer().row(1).int4(7));
    expect(out.subarray(0, 11)).toEqual(Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'));
    expect(out.readInt16BE(HEADER)).toBe(1);
    expect(out.readInt32BE(HEADER + 2)).toBe(4);
    expect(out.readInt32BE(HEADER + 6)).toBe(7);
    expect(out.readInt16BE(out.length - 2)).toBe(-1);
  });

  it('writes a timestamptz as microseconds since 2000-01-01 UTC, before and after it', () => {
    for (const ms of [
      Date.UTC(2000, 0, 1),
      Date.UTC(2026, 11, 3, 10, 0, 0, 123),
      Date.UTC(1970, 0, 1),
    ]) {
      const out = bytes(new BinaryCopyBuffer().row(1).timestamptz(ms));
      const micros = out.readBigInt64BE(HEADER + 6);
      expect(micros).toBe(BigInt(ms - Date.UTC(2000, 0, 1)) * 1000n);
    }
  });

  it('writes text by its UTF-8 length and a text array with its header', () => {
    const out = bytes(new BinaryCopyBuffer().row(2).text('泵-7').textArray(['a', 'bé']));
    expect(out.readInt32BE(HEADER + 2)).toBe(Buffer.byteLength('泵-7'));
    const arrayAt = HEADER + 6 + Buffer.byteLength('泵-7');
    const length = out.readInt32BE(arrayAt);
    expect(length).toBe(20 + 4 + 1 + 4 + Buffer.byteLength('bé'));
    expect(out.readInt32BE(arrayAt + 4)).toBe(1); // dimensions
    expect(out.readInt32BE(arrayAt + 12)).toBe(25); // text
    expect(out.readInt32BE(arrayAt + 16)).toBe(2); // elements
  });

  it('spreads rows larger than a chunk over several chunks without losing bytes', () => {
    const buffer = new BinaryCopyBuffer(64);
    const long = 'x'.repeat(1000);
    for (let i = 0; i < 10; i++) buffer.row(2).text(long).float8(i);
    const chunks = buffer.finish();
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).length).toBe(HEADER + 10 * (2 + 4 + 1000 + 12) + 2);
  });
});
