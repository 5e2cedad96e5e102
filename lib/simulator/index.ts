export { Fleet, batchesOf, type FleetOptions, type SimulatedReading } from './fleet';
export { simulatedMetrics, type AssetTruth, type AssetKind } from './asset-model';
export { seededRandom, type Random } from './random';
export { runLoad, type LoadOptions, type LoadReport } from './load-runner';
export { Latencies, percentile, type LatencySummary } from './latencies';
