/**
 * Splits an SQL script into its statements, so that a script which must
 * run outside a transaction can be sent one statement at a time: sent
 * whole, PostgreSQL would wrap the statements in one implicit transaction,
 * which is exactly what such a script must avoid.
 *
 * Semicolons inside quoted strings, quoted identifiers, dollar-quoted
 * bodies and comments do not end a statement. Statements that are empty
 * or only comments are dropped.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < script.length) {
    const end = skipQuotedOrComment(script, i);
    if (end > i) {
      i = end;
    } else if (script[i] === ';') {
      pushStatement(statements, script.slice(start, i));
      start = ++i;
    } else {
      i++;
    }
  }
  pushStatement(statements, script.slice(start));
  return statements;
}

/** Where the quoted text or comment starting at `i` ends, or `i` if none starts there. */
function skipQuotedOrComment(sql: string, i: number): number {
  const two = sql.slice(i, i + 2);
  if (two === '--') {
    const newline = sql.indexOf('\n', i);
    return newline === -1 ? sql.length : newline + 1;
  }
  if (two === '/*') return skipBlockComment(sql, i);
  const c = sql[i];
  if (c === "'" || c === '"') return skipQuoted(sql, i, c);
  if (c === '$') {
    const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))?.[0];
    if (tag) {
      const close = sql.indexOf(tag, i + tag.length);
      return close === -1 ? sql.length : close + tag.length;
    }
  }
  return i;
}

/** PostgreSQL block comments nest. */
function skipBlockComment(sql: string, i: number): number {
  let depth = 0;
  while (i < sql.length) {
    const two = sql.slice(i, i + 2);
    if (two === '/*') {
      depth++;
      i += 2;
    } else if (two === '*/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return i;
}

/** A doubled quote inside the quotes stands for the quote itself. */
function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === quote) {
      if (sql[j + 1] === quote) j += 2;
      else return j + 1;
    } else {
      j++;
    }
  }
  return j;
}

function pushStatement(statements: string[], text: string): void {
  if (hasCode(text)) statements.push(text.trim());
}

function hasCode(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    const end = skipQuotedOrComment(text, i);
    const isComment = end > i && (text[i] === '-' || text[i] === '/');
    if (isComment) {
      i = end;
    } else if (/\s/.test(text[i]!)) {
      i++;
    } else {
      return true;
    }
  }
  return false;
}
