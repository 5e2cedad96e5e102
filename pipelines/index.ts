export { loadPipelines, loadPipelineFile, type LoadResult } from './definition/load';
export { formatProblem, type DefinitionProblem } from './definition/problems';
export { PipelineRouter, compileSelector, type AssetSelector } from './definition/asset-selector';
export { parseDuration, formatDuration } from './definition/duration';
export {
  FEATURE_NAMES,
  featureDocs,
  featureKey,
  type FeatureName,
} from './definition/feature-names';
export { pipelinesOrThrow, defaultPipelinesLocation } from './definition/pipelines-or-throw';
export type {
  AlertRuleSpec,
  AssetSelectorSpec,
  FeatureSpec,
  ModelSpec,
  PipelineDefinition,
  Severity,
  WindowSpec,
  WindowType,
} from './definition/types';
