import type { FeatureName } from './feature-names';

export type WindowType = 'tumbling' | 'hopping' | 'sliding';

/**
 * Event-time windows of one pipeline. Tumbling and hopping windows are
 * aligned to the Unix epoch: `[k * hop, k * hop + size)`; tumbling windows
 * are hopping windows whose hop equals their size. A sliding window is
 * evaluated at every reading and covers the `size` before it: `(t - size, t]`.
 */
export interface WindowSpec {
  readonly type: WindowType;
  readonly sizeMs: number;
  /** Distance between window starts; equals sizeMs for tumbling windows, 0 for sliding. */
  readonly hopMs: number;
  /** How far behind an asset's clock a reading may be and still count. */
  readonly graceMs: number;
  /** Wall-clock quiet time after which an asset's open windows close. */
  readonly idleTimeoutMs: number;
}

export interface AssetSelectorSpec {
  /** Globs on the asset id (`*` any run of characters, `?` one); empty selects every id. */
  readonly ids: readonly string[];
  readonly exclude: readonly string[];
  /** Tag name to glob on its value; every one must match. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface FeatureSpec {
  readonly metric: string;
  readonly feature: FeatureName;
  /** `<metric>_<feature>`, the key in the feature vector. */
  readonly key: string;
}

export interface ModelSpec {
  readonly name: string;
  readonly version: string | undefined;
  readonly path: string | undefined;
  /** Feature keys the model reads, in input order; all of them when absent. */
  readonly inputs: readonly string[] | undefined;
  readonly outputs: readonly string[];
}

export type Severity = 'info' | 'warning' | 'critical';

/**
 * A threshold rule with hysteresis: raised when `on` crosses `above` (or
 * `below`) for `forMs`, resolved when it comes back past `clear`.
 */
export interface AlertRuleSpec {
  readonly name: string;
  readonly on: string;
  readonly above: number | undefined;
  readonly below: number | undefined;
  readonly clear: number;
  readonly forMs: number;
  readonly severity: Severity;
  readonly message: string | undefined;
}

export interface PipelineDefinition {
  readonly name: string;
  readonly description: string;
  readonly assets: AssetSelectorSpec;
  readonly window: WindowSpec;
  /** Every metric the features read, in order of first mention. */
  readonly metrics: readonly string[];
  readonly features: readonly FeatureSpec[];
  readonly model: ModelSpec | undefined;
  readonly alerts: readonly AlertRuleSpec[];
  /** The file it was loaded from. */
  readonly file: string;
}
