import { closestMatch } from '../did-you-mean';
import { SmpError } from '../errors';
import { renamedSettings, settings, type SettingKey, type SettingSpec } from './settings';

export type Config = {
  readonly [K in SettingKey]: (typeof settings)[K] extends SettingSpec<infer T> ? T : never;
};

export interface ConfigProblem {
  readonly setting: string;
  readonly message: string;
}

/**
 * Reads and validates every setting at once, so a bad deployment hears about
 * all of its mistakes in one go rather than one per restart.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: ConfigProblem[] = [];
  const values: Record<string, unknown> = {};

  for (const [key, spec] of Object.entries(settings) as [SettingKey, SettingSpec][]) {
    const raw = nonEmpty(env[spec.env]) ?? spec.default;
    if (raw === undefined) {
      values[key] = undefined;
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) {
      values[key] = parsed.data;
    } else {
      const message = parsed.error.issues.map((i) => i.message).join('; ');
      problems.push({ setting: spec.env, message: `${message} (got ${quote(spec.env, raw)})` });
    }
  }

  problems.push(...unknownSettings(env));
  if (problems.length > 0) throw configError(problems);
  return Object.freeze(values) as Config;
}

const known = new Set(Object.values(settings).map((s) => s.env));

// Variables the project never reads but that tools around it set, such as
// the test runner's own switches.
const foreignPrefixes = ['SMP_TEST_'];

function unknownSettings(env: NodeJS.ProcessEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const name of Object.keys(env)) {
    if (env[name] === undefined || known.has(name)) continue;
    const renamed = renamedSettings[name];
    if (renamed) {
      problems.push({ setting: name, message: `was renamed: use ${renamed} instead` });
    } else if (name.startsWith('SMP_') && !foreignPrefixes.some((p) => name.startsWith(p))) {
      const hint = closest(name);
      const suffix = hint ? `; did you mean ${hint}?` : '';
      problems.push({ setting: name, message: `is not a known setting${suffix}` });
    }
  }
  return problems;
}

function configError(problems: ConfigProblem[]): SmpError {
  const lines = problems.map((p) => `  ${p.setting}: ${p.message}`);
  return new SmpError('SMP_CONFIG_INVALID', `invalid configuration:\n${lines.join('\n')}`, {
    details: problems,
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function quote(name: string, raw: string): string {
  if (/PASSWORD|SECRET|API_KEY|DATABASE_URL/.test(name)) return '<redacted>';
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
}

function closest(name: string): string | undefined {
  return closestMatch(name, known);
}
