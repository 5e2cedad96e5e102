import { SmpError } from '../../../../lib/errors';
import {
  deadLetterHeaders,
  deadLetterMessage,
  type DeadLetter,
} from '../../../../lib/kafka/dead-letter';

const record = {
  topic: 'telemetry.readings.v1',
  partition: 4,
  offset: '1234',
  key: Buffer.from('pump-7'),
  value: Buffer.from([0, 1, 2]),
  headers: { 'x-correlation-id': 'abc' },
};

describe('dead letters', () => {
  it('keep the original bytes and say where they came from and why, in the record and headers', () => {
    let letter: DeadLetter | undefined;
    const error = new SmpError('SMP_DECODE_FAILED', 'not Avro');
    const message = deadLetterMessage(
      (l) => ((letter = l), Buffer.from('encoded')),
      'sink',
      record,
      error,
      42,
    );

    expect(letter).toEqual({
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
        [deadLetterHeaders.topic]: 'telemetry.readings.v1',
        [deadLetterHeaders.partition]: '4',
        [deadLetterHeaders.offset]: '1234',
        [deadLetterHeaders.stage]: 'sink',
      },
    });
  });

  it('file an unexpected error under SMP_INTERNAL with a bounded message', () => {
    const message = deadLetterMessage(
      () => Buffer.alloc(0),
      'features',
      record,
      new Error('x'.repeat(5000)),
    );
    expect(message.headers![deadLetterHeaders.code]).toBe('SMP_INTERNAL');
    expect(String(message.headers![deadLetterHeaders.message])).toHaveLength(2000);
  });
});
