import { parseInstant } from '../../../lib/instant';

describe('parseInstant', () => {
  it.each([
    ['1764756000000', 1_764_756_000_000],
    ['-1000', -1000],
    ['2026-12-03T10:00Z', Date.UTC(2026, 11, 3, 10)],
    ['2026-12-03T11:00:00.500+01:00', Date.UTC(2026, 11, 3, 10, 0, 0, 500)],
    [' 2026-12-03T10:00:00z ', Date.UTC(2026, 11, 3, 10)],
  ])('reads %j', (text, ms) => {
    expect(parseInstant(text)).toBe(ms);
  });

  it.each([
    '2026-12-03T10:00:00',
    '2026-12-03',
    'yesterday',
    '1e12',
    '1.5',
    '',
    '99999999999999999',
  ])('refuses %j, which is no instant or needs a zone it does not give', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});
