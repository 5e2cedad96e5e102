import { policyWarnings, type StoragePolicy } from '../../../../lib/db/storage-policy';

const policy: StoragePolicy = {
  chunkHours: 24,
  partitionsAhead: 3,
  compressionAfterDays: 7,
  retentionDays: { readings: 30, readingsHourly: 730, features: 90, predictions: 365, alerts: 730 },
};

describe('storage settings that work against each other', () => {
  it('are none for the defaults', () => {
    expect(policyWarnings(policy, 'timescale')).toEqual([]);
  });

  it('include dropping data before it would be compressed', () => {
    const warnings = policyWarnings(
      { ...policy, retentionDays: { ...policy.retentionDays, readings: 5 } },
      'timescale',
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^readings are dropped after 5 days, before compression/),
    ]);
    expect(
      policyWarnings(
        { ...policy, retentionDays: { ...policy.retentionDays, readings: 5 } },
        'plain',
      ),
    ).toEqual([]);
  });

  it('include a retention shorter than a chunk, and hourly statistics outlived by raw data', () => {
    const warnings = policyWarnings(
      {
        ...policy,
        chunkHours: 72,
        compressionAfterDays: 0,
        retentionDays: { ...policy.retentionDays, features: 2, readings: 0, readingsHourly: 365 },
      },
      'timescale',
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^features are kept 2 days, less than one chunk of 72 h/),
      'hourly statistics are kept for less time than the readings they summarise',
    ]);
  });
});
