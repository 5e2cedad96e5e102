import { classifyDatabaseError } from '../../../../lib/db';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('what a database error means for a writer', () => {
  it.each([
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'unavailable'],
    [Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), 'unavailable'],
    [new Error('Connection terminated unexpectedly'), 'unavailable'],
    [pgError('57P01', 'terminating connection due to administrator command'), 'unavailable'],
    [pgError('08006'), 'unavailable'],
    [pgError('57014', 'canceling statement due to statement timeout'), 'transient'],
    [pgError('40P01', 'deadlock detected'), 'transient'],
    [pgError('42P01', 'relation "readings" does not exist'), 'transient'],
    [pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'), 'record'],
    [pgError('23502'), 'record'],
    [pgError('54000', 'index row size exceeds maximum'), 'record'],
    [pgError('23505'), 'duplicate'],
    [pgError('23514', 'no partition of relation "readings" found for row'), 'no-partition'],
    [pgError('23514', 'new row violates check constraint'), 'record'],
    [new Error('something odd'), 'transient'],
  ])('%s is %s', (error, kind) => {
    expect(classifyDatabaseError(error)).toBe(kind);
  });
});
