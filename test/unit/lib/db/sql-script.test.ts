import { splitStatements } from '../../../../lib/db/sql-script';

describe('splitting a migration into statements', () => {
  it('splits at semicolons and drops comment-only pieces', () => {
    const script = `-- smp:no-transaction
      -- a comment; with a semicolon
      CREATE TABLE a (x int);
      /* block; comment */
      CALL refresh_continuous_aggregate('readings_hourly', NULL, NULL);
      -- trailing comment`;
    expect(splitStatements(script)).toEqual([
      expect.stringMatching(
        /^-- smp:no-transaction\s+-- a comment; with a semicolon\s+CREATE TABLE a \(x int\)$/,
      ),
      expect.stringMatching(/CALL refresh_continuous_aggregate\('readings_hourly', NULL, NULL\)$/),
    ]);
  });

  it('keeps semicolons inside strings, quoted names, dollar quotes and nested comments', () => {
    const script = [
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      'SELECT 1 AS "odd;name"',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; SELECT 2; $body$',
      'DO $$ BEGIN PERFORM 1; END $$',
      'SELECT /* outer /* inner; */ still comment; */ 3',
    ].join(';\n');
    expect(splitStatements(script)).toHaveLength(5);
    expect(splitStatements(script)[2]).toContain('SELECT 2; $body$');
  });

  it('returns nothing for an empty script', () => {
    expect(splitStatements('  -- nothing\n /* here */ ;; ')).toEqual([]);
  });
});
