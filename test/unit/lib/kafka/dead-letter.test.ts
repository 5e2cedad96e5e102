import { SmpError } from '../../../../lib/errors';
import { deadLetterReason } from '../../../../lib/kafka/dead-letter';

describe('the reason a record is dead-lettered', () => {
  it("is an SmpError's own code and message", () => {
    const error = new SmpError('SMP_DECODE_FAILED', 'record starts with byte 7');
    expect(deadLetterReason(error)).toEqual({
      code: 'SMP_DECODE_FAILED',
      message: 'record starts with byte 7',
    });
  });

  it('is SMP_INTERNAL with the message for anything else', () => {
    expect(deadLetterReason(new TypeError('x is undefined'))).toEqual({
      code: 'SMP_INTERNAL',
      message: 'x is undefined',
    });
  });
});
