import type { Config } from '../../lib/config';
import { SmpError } from '../../lib/errors';
import { fromRoot } from '../../lib/package-root';
import { loadPipelines } from './load';
import { formatProblem } from './problems';
import type { PipelineDefinition } from './types';

/** Where definitions are read from: SMP_PIPELINES_DIR, else the project's pipelines/. */
export function defaultPipelinesLocation(config: Pick<Config, 'pipelinesDir'>): string {
  return config.pipelinesDir ?? fromRoot('pipelines');
}

/**
 * The definitions a stage runs. A stage refuses to start on any problem
 * rather than run a subset of what its operator wrote.
 */
export function pipelinesOrThrow(
  location: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): PipelineDefinition[] {
  const { pipelines, problems } = loadPipelines(location, env);
  if (problems.length > 0) {
    const text = problems.map(formatProblem).join('\n');
    throw new SmpError('SMP_PIPELINE_INVALID', `invalid pipeline definitions:\n${text}`, {
      details: problems,
    });
  }
  if (pipelines.length === 0) {
    throw new SmpError('SMP_PIPELINE_INVALID', `no pipeline definitions in ${location}`, {
      context: { location },
    });
  }
  return pipelines;
}
