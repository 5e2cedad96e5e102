/**
 * The features a pipeline may compute for each metric, with what each one
 * means. The window code implements every name here; a feature vector names
 * them `<metric>_<feature>`, such as `temp_mean`.
 */
export const featureDocs = {
  count: 'number of readings in the window that carry the metric',
  mean: 'arithmetic mean',
  min: 'smallest value',
  max: 'largest value',
  std: 'population standard deviation (divides by n; 0 for one value)',
  rms: 'root mean square, sqrt(mean(x^2))',
  first: 'value of the earliest reading by event time',
  last: 'value of the latest reading by event time',
  delta: 'last minus first',
  slope: 'least-squares slope against event time, in units per second (0 for one value)',
  ptp: 'peak to peak, max minus min',
  skewness: 'population skewness m3 / m2^1.5 (0 when all values are equal)',
  kurtosis: 'population excess kurtosis m4 / m2^2 - 3 (0 when all values are equal)',
} as const;

export type FeatureName = keyof typeof featureDocs;

export const FEATURE_NAMES = Object.keys(featureDocs) as FeatureName[];

/** The name a feature has in a feature vector. */
export function featureKey(metric: string, feature: FeatureName): string {
  return `${metric}_${feature}`;
}
