import { Scalar, visit, type Document } from 'yaml';

/**
 * Environment interpolation in pipeline files: `${NAME}` takes the
 * variable's value and `${NAME:-default}` falls back to the default when it
 * is unset or empty. A variable that is unset and has no default is an
 * error, never an empty string. `$${` writes a literal `${`.
 *
 * A plain (unquoted) value that is a single `${...}` is read as YAML after
 * substitution, so `above: ${RUL_ALERT:-30}` is a number.
 */
export interface InterpolationIssue {
  /** Offset of the scalar in the file. */
  readonly offset: number;
  readonly message: string;
  readonly hint: string;
}

const reference = /\$\$\{|\$\{([^}]*)\}/g;
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function interpolateDocument(
  doc: Document,
  env: Readonly<Record<string, string | undefined>>,
): InterpolationIssue[] {
  const issues: InterpolationIssue[] = [];
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const offset = node.range?.[0] ?? 0;
      const text = node.value;
      const result = substitute(text, env, (message, hint) => {
        issues.push({ offset, message, hint });
      });
      const whole = /^\$\{[^}]*\}$/.test(text) && node.type === Scalar.PLAIN;
      node.value = whole ? asYamlScalar(result) : result;
    },
  });
  return issues;
}

function substitute(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  report: (message: string, hint: string) => void,
): string {
  return text.replace(reference, (match, body: string | undefined) => {
    if (match === '$${') return '${';
    const [name = '', fallback] = splitDefault(body ?? '');
    if (!variableName.test(name)) {
      report(
        `${match} is not a valid reference`,
        'write ${NAME} or ${NAME:-default} with a letter or _ first',
      );
      return '';
    }
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    report(
      `environment variable ${name} is not set and has no default`,
      `set ${name}, or write \${${name}:-default}`,
    );
    return '';
  });
}

function splitDefault(body: string): [string, string | undefined] {
  const at = body.indexOf(':-');
  return at < 0 ? [body, undefined] : [body.slice(0, at), body.slice(at + 2)];
}

/** Numbers and booleans keep their type; everything else stays text. */
function asYamlScalar(text: string): unknown {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  return text;
}
