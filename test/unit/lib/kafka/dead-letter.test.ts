import { SmpError } from '../../../../lib/errors';
import {
  deadLetterHeaders,
  deadLetterMessage,
  deadLetterReason,
  letterFor,
  type DeadLetterRecord,
} from '../../../../lib/kafka/dead-letter';

const record = {
  topic: 'telemetry.readings.v1',
  partition: 4,
  offset: '1234',
  key: Buffer.from('pump-7'),
  value: Buffer.from([0, 1, 2]),
  headers: { 'x-correlation-id': 'abc', 'smp-error-code': 'SMP_OLD_REASON' },
};

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

describe('dead letters', () => {
  it('keep the original bytes and say where they came from and why, in the record and headers', () => {
    let encoded: DeadLetterRecord | undefined;
    const error = new SmpError('SMP_DECODE_FAILED', 'not Avro');
    const message = deadLetterMessage(
      (r) => ((encoded = r), Buffer.from('encoded')),
      'sink',
      letterFor(record, error),
      42,
    );

    expect(encoded).toEqual({
      stage: 'sink',
      sourceTopic: 'telemetry.readings.v1',
      sourcePartition: 4,
      sourceOffset: 1234,
      key: record.key,
      value: record.value,
      errorCode: 'SMP_DECODE_FAILED',
      errorMessage: 'not Avro',
      failedAt: 42,
    });
    expect(message).toEqual({
      key: record.key,
      value: Buffer.from('encoded'),
      headers: {
        'x-correlation-id': 'abc',
        [deadLetterHeaders.code]: 'SMP_DECODE_FAILED',
        [deadLetterHeaders.message]: 'not Avro',
        [deadLetterHeaders.sourceTopic]: 'telemetry.readings.v1',
        [deadLetterHeaders.sourcePartition]: '4',
        [deadLetterHeaders.sourceOffset]: '1234',
        [deadLetterHeaders.stage]: 'sink',
      },
    });
  });

  it('file an unexpected error under SMP_INTERNAL with a bounded message', () => {
    const message = deadLetterMessage(
      () => Buffer.alloc(0),
      'features',
      letterFor(record, new Error('x'.repeat(5000))),
    );
    expect(message.headers![deadLetterHeaders.code]).toBe('SMP_INTERNAL');
    expect(String(message.headers![deadLetterHeaders.message])).toHaveLength(2000);
  });
});
