export {
  startFeatureStage,
  type FeatureStage,
  type FeatureStageOptions,
} from './stage/feature-stage';
export { changelogTopicName } from './stage/state-changelog';
export { runOffline, type OfflineOptions, type OfflineSummary } from './offline/run-offline';
export { formatOf, type InputFormat } from './offline/input-formats';
export { CMAPSS_DEFAULT_BASE, cmapssSubset, parseCmapssLine } from './offline/read-cmapss';
export { FeatureEngine, type EngineOptions } from './window/feature-engine';
export type { ClosedWindow, CloseReason, EngineListener, LateEvent, Reading } from './window/types';
