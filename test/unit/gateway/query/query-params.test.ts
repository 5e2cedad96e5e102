import type { Request } from 'express';
import {
  choiceParam,
  limitParam,
  listParam,
  queryParams,
  timeParam,
} from '../../../../gateway/query/query-params';

const request = (query: Record<string, unknown>) => ({ query }) as unknown as Request;

describe('query parameters', () => {
  it('take ISO-8601 with a zone and epoch milliseconds as the same instant', () => {
    const ms = Date.UTC(2026, 11, 3, 10, 0, 0, 250);
    expect(timeParam({ t: '2026-12-03T10:00:00.250Z' }, 't')).toBe(ms);
    expect(timeParam({ t: '2026-12-03T12:00:00.250+02:00' }, 't')).toBe(ms);
    expect(timeParam({ t: String(ms) }, 't')).toBe(ms);
    expect(timeParam({ t: '2026-12-03T10:00Z' }, 't')).toBe(Date.UTC(2026, 11, 3, 10));
    expect(timeParam({}, 't')).toBeUndefined();
  });

  it.each(['2026-12-03T10:00:00', '2026-12-03', 'yesterday', '1e12', '99999999999999999', ''])(
    'refuse the time %j, naming the parameter',
    (raw) => {
      expect(() => timeParam({ from: raw }, 'from')).toThrow(
        /query parameter from must be an ISO-8601 time/,
      );
    },
  );

  it('bound limits and name the allowed range', () => {
    expect(limitParam({}, 100, 1000)).toBe(100);
    expect(limitParam({ limit: '1000' }, 100, 1000)).toBe(1000);
    for (const raw of ['0', '1001', '-1', '2.5', 'ten']) {
      expect(() => limitParam({ limit: raw }, 100, 1000)).toThrow(/from 1 to 1000/);
    }
  });

  it('refuse unknown and repeated parameters', () => {
    expect(() => queryParams(request({ form: '1' }), ['from', 'to'])).toThrow(
      /query parameter form is not a parameter of this route; it takes from, to/,
    );
    expect(() => queryParams(request({ to: ['1', '2'] }), ['from', 'to'])).toThrow(
      /given more than once/,
    );
    expect(queryParams(request({ to: '1' }), ['from', 'to'])).toEqual({ to: '1' });
  });

  it('match choices in any case and split lists', () => {
    expect(choiceParam({ state: 'raised' }, 'state', ['RAISED', 'RESOLVED'])).toBe('RAISED');
    expect(() => choiceParam({ state: 'open' }, 'state', ['RAISED'])).toThrow(
      /must be one of RAISED/,
    );
    expect(listParam({ metrics: 'temp, vib,,temp' }, 'metrics', 10)).toEqual(['temp', 'vib']);
    expect(() => listParam({ metrics: ',' }, 'metrics', 10)).toThrow(/between 1 and 10 names/);
  });
});
