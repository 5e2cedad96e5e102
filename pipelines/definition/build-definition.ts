import path from 'node:path';
import { closestMatch } from '../../lib/did-you-mean';
import { formatDuration } from './duration';
import { featureKey } from './feature-names';
import { WINDOW_DEFAULTS, type PipelineFile } from './schema';
import type {
  AlertRuleSpec,
  FeatureSpec,
  ModelSpec,
  PipelineDefinition,
  WindowSpec,
} from './types';

/** A problem found in a definition, located by its path in the file. */
export interface DefinitionIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

/**
 * Turns a file that has the right shape into a definition, checking the
 * rules that span several fields. Returns the issues instead of the
 * definition when there are any.
 */
export function buildDefinition(
  file: PipelineFile,
  fileName: string,
): { definition: PipelineDefinition } | { issues: DefinitionIssue[] } {
  const issues: DefinitionIssue[] = [];
  const expectedName = path.basename(fileName).replace(/\.(ya?ml|json)$/, '');
  if (file.name !== expectedName) {
    issues.push({
      path: ['name'],
      message: `the pipeline is named ${file.name} but its file is ${path.basename(fileName)}`,
      hint: `rename the file to ${file.name}.yaml or the pipeline to ${expectedName}`,
    });
  }
  const assets = {
    ids: file.assets.ids ?? [],
    exclude: file.assets.exclude ?? [],
    tags: file.assets.tags ?? {},
  };
  if (assets.ids.length === 0 && Object.keys(assets.tags).length === 0) {
    issues.push({
      path: ['assets'],
      message: 'the pipeline selects no assets',
      hint: 'add ids (globs such as "pump-*", or "*" for all) or tags',
    });
  }

  const window = checkWindow(file.window, issues);
  const features = checkFeatures(file, issues);
  const keys = new Set(features.map((f) => f.key));
  const model = checkModel(file, keys, issues);
  const alerts = checkAlerts(file, new Set([...keys, ...(model?.outputs ?? [])]), issues);
  if (issues.length > 0) return { issues };

  return {
    definition: {
      name: file.name,
      description: file.description ?? '',
      assets,
      window,
      metrics: [...new Set(features.map((f) => f.metric))],
      features,
      model,
      alerts,
      file: fileName,
    },
  };
}

function checkWindow(raw: PipelineFile['window'], issues: DefinitionIssue[]): WindowSpec {
  const at = (key: string) => ['window', key];
  const sizeMs = raw.size;
  if (sizeMs <= 0) issues.push({ path: at('size'), message: 'the window size must be positive' });
  let hopMs = raw.type === 'tumbling' ? sizeMs : 0;
  if (raw.type === 'hopping') {
    if (raw.hop === undefined) {
      issues.push({
        path: ['window'],
        message: 'a hopping window needs a hop',
        hint: `add hop: a duration shorter than the size (${formatDuration(sizeMs)})`,
      });
    } else if (raw.hop <= 0 || raw.hop > sizeMs) {
      issues.push({
        path: at('hop'),
        message: `the hop must be positive and at most the size (${formatDuration(sizeMs)})`,
        hint: 'a hop equal to the size is a tumbling window',
      });
    } else {
      hopMs = raw.hop;
    }
  } else if (raw.hop !== undefined) {
    issues.push({
      path: at('hop'),
      message: `a ${raw.type} window has no hop`,
      hint: 'remove hop, or use type: hopping',
    });
  }
  const idleTimeoutMs = raw.idleTimeout ?? WINDOW_DEFAULTS.idleTimeoutMs;
  if (idleTimeoutMs <= 0) {
    issues.push({
      path: at('idleTimeout'),
      message: 'the idle timeout must be positive',
      hint: 'without it the last window of a silent asset would never close',
    });
  }
  const graceMs = raw.grace ?? WINDOW_DEFAULTS.graceMs;
  return { type: raw.type, sizeMs, hopMs, graceMs, idleTimeoutMs };
}

function checkFeatures(file: PipelineFile, issues: DefinitionIssue[]): FeatureSpec[] {
  const seen = new Map<string, string>();
  const features: FeatureSpec[] = [];
  file.features.forEach((group, g) => {
    for (const metric of group.metrics) {
      group.compute.forEach((feature, c) => {
        const key = featureKey(metric, feature);
        const where = `features[${g}]`;
        const first = seen.get(key);
        if (first) {
          issues.push({
            path: ['features', g, 'compute', c],
            message: `${key} is computed twice (${first} and ${where})`,
            hint: `remove ${feature} from one of the groups`,
          });
          return;
        }
        seen.set(key, where);
        features.push({ metric, feature, key });
      });
    }
  });
  return features;
}

function checkModel(
  file: PipelineFile,
  keys: ReadonlySet<string>,
  issues: DefinitionIssue[],
): ModelSpec | undefined {
  if (!file.model) return undefined;
  file.model.inputs?.forEach((input, i) => {
    if (!keys.has(input)) issues.push(unknownName(['model', 'inputs', i], input, keys, 'feature'));
  });
  return {
    name: file.model.name,
    version: file.model.version,
    path: file.model.path,
    inputs: file.model.inputs,
    outputs: file.model.outputs,
  };
}

function checkAlerts(
  file: PipelineFile,
  names: ReadonlySet<string>,
  issues: DefinitionIssue[],
): AlertRuleSpec[] {
  const seen = new Set<string>();
  return (file.alerts ?? []).map((rule, i) => {
    const at = (key?: string) => (key ? ['alerts', i, key] : ['alerts', i]);
    if (seen.has(rule.name))
      issues.push({ path: at('name'), message: `${rule.name} is defined twice` });
    seen.add(rule.name);
    if (!names.has(rule.on))
      issues.push(unknownName(at('on'), rule.on, names, 'output or feature'));

    const threshold = rule.above ?? rule.below;
    if ((rule.above === undefined) === (rule.below === undefined)) {
      issues.push({ path: at(), message: 'a rule needs exactly one of above or below' });
    }
    const clear = rule.clear ?? threshold ?? 0;
    if (rule.above !== undefined && clear > rule.above) {
      issues.push({
        path: at('clear'),
        message: `clear (${clear}) must be at most above (${rule.above})`,
        hint: 'the alert resolves once the value falls back to clear',
      });
    }
    if (rule.below !== undefined && clear < rule.below) {
      issues.push({
        path: at('clear'),
        message: `clear (${clear}) must be at least below (${rule.below})`,
        hint: 'the alert resolves once the value rises back to clear',
      });
    }
    return {
      name: rule.name,
      on: rule.on,
      above: rule.above,
      below: rule.below,
      clear,
      forMs: rule.for ?? 0,
      severity: rule.severity,
      message: rule.message,
    };
  });
}

function unknownName(
  at: readonly (string | number)[],
  name: string,
  known: ReadonlySet<string>,
  what: string,
): DefinitionIssue {
  const close = closestMatch(name, known);
  return {
    path: at,
    message: `${name} is not a ${what} of this pipeline`,
    hint: close ? `did you mean ${close}?` : `known: ${[...known].slice(0, 8).join(', ')}`,
  };
}
