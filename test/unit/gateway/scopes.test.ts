import { grants, parseScopes } from '../../../gateway/auth';

describe('scopes', () => {
  it('parses a comma-separated list, trimming and removing repeats', () => {
    expect(parseScopes(' data:ingest, predict,data:ingest')).toEqual(['data:ingest', 'predict']);
  });

  it('names an unknown scope', () => {
    expect(() => parseScopes('data:ingest,reports')).toThrow('unknown scope "reports"');
  });

  it('refuses an empty list', () => {
    expect(() => parseScopes(' , ')).toThrow('at least one scope');
  });

  it('lets admin stand for every scope and nothing else widen a key', () => {
    expect(grants(['admin'], 'reports:generate')).toBe(true);
    expect(grants(['data:ingest'], 'data:ingest')).toBe(true);
    expect(grants(['data:ingest'], 'predict')).toBe(false);
  });
});
