import { z } from 'zod';
import { DURATION_HINT, parseDuration } from './duration';
import { FEATURE_NAMES } from './feature-names';

/**
 * The shape of a pipeline file, checked field by field. Unknown keys are
 * errors, so a misspelt `grace` is reported instead of silently ignored.
 * Rules that involve several fields live in semantic-checks.ts.
 */
const duration = z.unknown().transform((value, ctx) => {
  const parsed = parseDuration(value);
  if (typeof parsed === 'number') return parsed;
  ctx.addIssue({ code: 'custom', message: parsed.error, params: { hint: DURATION_HINT } });
  return z.NEVER;
});

const slug = z
  .string({ error: 'expected a name' })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lower-case letters, digits and dashes (at most 63)');

const glob = z.string({ error: 'expected a glob such as pump-*' }).min(1, 'empty glob');

const metricName = z
  .string({ error: 'expected a metric name' })
  .regex(/^[^\s]{1,100}$/, 'a metric name has 1 to 100 characters and no spaces');

const number = z.number({ error: 'expected a number' }).finite();

const assets = z.strictObject({
  ids: z.array(glob).optional(),
  exclude: z.array(glob).optional(),
  tags: z.record(z.string(), glob).optional(),
});

const window = z.strictObject({
  type: z.enum(['tumbling', 'hopping', 'sliding']),
  size: duration,
  hop: duration.optional(),
  grace: duration.optional(),
  idleTimeout: duration.optional(),
});

const featureGroup = z.strictObject({
  metrics: z.array(metricName).min(1, 'list at least one metric'),
  compute: z.array(z.enum(FEATURE_NAMES)).min(1, 'list at least one feature'),
});

const model = z.strictObject({
  name: slug,
  version: z.string().optional(),
  path: z.string().optional(),
  inputs: z.array(z.string()).min(1).optional(),
  outputs: z.array(z.string().min(1)).min(1, 'name at least one output'),
});

const alertRule = z.strictObject({
  name: slug,
  on: z.string({ error: 'name the model output or feature the rule watches' }),
  above: number.optional(),
  below: number.optional(),
  clear: number.optional(),
  for: duration.optional(),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string().optional(),
});

export const pipelineFileSchema = z.strictObject({
  name: slug,
  description: z.string().optional(),
  assets,
  window,
  features: z.array(featureGroup).min(1, 'list at least one feature group'),
  model: model.optional(),
  alerts: z.array(alertRule).optional(),
});

export type PipelineFile = z.infer<typeof pipelineFileSchema>;

/** Defaults for optional window fields, documented in the README. */
export const WINDOW_DEFAULTS = { graceMs: 0, idleTimeoutMs: 5 * 60_000 } as const;

/** The keys an object at a path may have, for "did you mean" hints. */
export function knownKeysAt(at: readonly (string | number)[]): readonly string[] {
  const shape = (o: { shape: Record<string, unknown> }) => Object.keys(o.shape);
  const [first] = at;
  if (at.length === 0) return shape(pipelineFileSchema);
  if (first === 'assets') return shape(assets);
  if (first === 'window') return shape(window);
  if (first === 'model') return shape(model);
  if (first === 'features') return shape(featureGroup);
  if (first === 'alerts') return shape(alertRule);
  return [];
}
