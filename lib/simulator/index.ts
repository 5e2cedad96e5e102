export { Fleet, batchesOf, type FleetOptions, type SimulatedReading } from './fleet';
export { simulatedMetrics, type AssetTruth, type AssetKind } from './asset-model';
export { seededRandom, type Random } from './random';
export {
  runLoad,
  runPreparedLoad,
  type LoadOptions,
  type LoadReport,
  type LoadSettings,
  type PreparedBatch,
  type PreparedLoadOptions,
} from './load-runner';
export { Latencies, percentile, type LatencySummary } from './latencies';
