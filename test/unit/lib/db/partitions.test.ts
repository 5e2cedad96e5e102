import { missingRanges, partitionName } from '../../../../lib/db/partitions';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('partition ranges', () => {
  it('are grid slots aligned to the epoch that intersect the wanted range', () => {
    const wanted = { from: 10 * DAY + 5 * HOUR, to: 12 * DAY + HOUR };
    expect(missingRanges([], wanted, DAY)).toEqual([
      { from: 10 * DAY, to: 11 * DAY },
      { from: 11 * DAY, to: 12 * DAY },
      { from: 12 * DAY, to: 13 * DAY },
    ]);
  });

  it('leave out what existing partitions cover, and clip new slots to the gaps', () => {
    const existing = [
      { from: 10 * DAY, to: 11 * DAY },
      { from: 11 * DAY + 6 * HOUR, to: 11 * DAY + 12 * HOUR },
    ];
    expect(missingRanges(existing, { from: 10 * DAY, to: 12 * DAY }, DAY)).toEqual([
      { from: 11 * DAY, to: 11 * DAY + 6 * HOUR },
      { from: 11 * DAY + 12 * HOUR, to: 12 * DAY },
    ]);
  });

  it('need nothing when everything is covered', () => {
    expect(missingRanges([{ from: 0, to: 10 * DAY }], { from: DAY, to: 2 * DAY }, DAY)).toEqual([]);
  });

  it('are named after their start in UTC', () => {
    expect(partitionName('readings', Date.UTC(2026, 11, 3, 6, 30))).toBe('readings_p20261203_0630');
  });
});
