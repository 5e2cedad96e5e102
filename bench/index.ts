import type { Config } from '../lib/config';
import { gatewayBenchmark } from './gateway';
import { sinkBenchmark } from './sink';
import { featuresBenchmark } from './features';

/**
 * A benchmark measures this project against a baseline run in the same
 * process lifetime on the same machine (Kafka's own perf tools, `psql \copy`,
 * a bare consume loop) and reports the ratio, because absolute numbers on a
 * shared machine mean little. Results are printed and written as JSON under
 * bench/results/.
 */
export interface Benchmark {
  readonly description: string;
  run(config: Config, args: readonly string[]): Promise<BenchResult>;
}

export interface BenchResult {
  readonly name: string;
  /** Human-readable lines, printed as they are. */
  readonly lines: readonly string[];
  /** Machine-readable numbers for the JSON file. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** Every benchmark by the name `npm run bench -- <name>` takes. */
export const benchmarks: Readonly<Record<string, Benchmark>> = {
  gateway: gatewayBenchmark,
  sink: sinkBenchmark,
  features: featuresBenchmark,
};
