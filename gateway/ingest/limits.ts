import type { Config } from '../../lib/config';

/** What one request and one reading may hold; every number comes from the configuration. */
export interface IngestLimits {
  readonly maxBodyBytes: number;
  readonly maxBatchReadings: number;
  readonly maxMetrics: number;
  readonly maxAssetIdLength: number;
  readonly assetIdPattern: RegExp;
  readonly maxTags: number;
  readonly maxTagValueLength: number;
  /** How far ahead of the gateway's clock a ts may be. */
  readonly maxClockSkewMs: number;
  /** How far behind the gateway's clock a ts may be. */
  readonly maxAgeMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function limitsFrom(config: Config): IngestLimits {
  return {
    maxBodyBytes: config.gatewayMaxBodyBytes,
    maxBatchReadings: config.gatewayMaxBatchReadings,
    maxMetrics: config.gatewayMaxMetrics,
    maxAssetIdLength: config.gatewayMaxAssetIdLength,
    assetIdPattern: config.gatewayAssetIdPattern,
    maxTags: config.gatewayMaxTags,
    maxTagValueLength: config.gatewayMaxTagValueLength,
    maxClockSkewMs: config.gatewayMaxClockSkewMs,
    maxAgeMs: config.gatewayMaxReadingAgeDays * DAY_MS,
  };
}
