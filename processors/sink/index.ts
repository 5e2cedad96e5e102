export { startSink, type RunningSink, type SinkOptions } from './sink';
export type { SinkRole } from './tables';
export type {
  ReadingRecord,
  FeatureVectorRecord,
  PredictionRecord,
  AlertRecord,
  AlertState,
} from './records';
