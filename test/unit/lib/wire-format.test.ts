import { isSmpError } from '../../../lib/errors';
import { frame, readSchemaId } from '../../../lib/serde/avro-serde';

describe('the Confluent wire format', () => {
  it('puts a zero byte and the big-endian schema id before the body', () => {
    const framed = frame(0x01020304, Buffer.from([9, 8]));
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 9, 8]);
    expect(readSchemaId(framed)).toBe(0x01020304);
  });

  it.each([
    ['null', null],
    ['a short buffer', Buffer.from([0, 1])],
    ['a wrong magic byte', Buffer.from([1, 0, 0, 0, 1, 2])],
    ['plain JSON', Buffer.from('{"assetId":"x"}')],
  ])('refuses %s as undecodable, to be dead-lettered', (_name, bytes) => {
    let caught: unknown;
    try {
      readSchemaId(bytes);
    } catch (error) {
      caught = error;
    }
    expect(isSmpError(caught, 'SMP_DECODE_FAILED')).toBe(true);
    expect((caught as { action: string }).action).toBe('dead-letter');
  });
});
