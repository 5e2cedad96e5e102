/**
 * The contract records as the serde decodes them (schemas/*.avsc): times
 * are epoch milliseconds, maps are plain objects, enums are their symbols.
 */
export interface ReadingRecord {
  readonly assetId: string;
  readonly ts: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly receivedAt: number | null;
}

export interface FeatureVectorRecord {
  readonly assetId: string;
  readonly pipeline: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly recordCount: number;
  readonly features: Readonly<Record<string, number>>;
  readonly missingMetrics: readonly string[];
  readonly closeReason: string;
  readonly emittedAt: number;
}

export interface PredictionRecord {
  readonly assetId: string;
  readonly pipeline: string;
  readonly model: string;
  readonly modelVersion: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly outputs: Readonly<Record<string, number>>;
  readonly predictedAt: number;
}

export type AlertState = 'RAISED' | 'RESOLVED' | 'UNKNOWN';

export interface AlertRecord {
  readonly alertId: string;
  readonly assetId: string;
  readonly rule: string;
  readonly pipeline: string;
  readonly state: AlertState;
  readonly severity: string;
  readonly message: string;
  readonly value: number | null;
  readonly eventTime: number;
  readonly emittedAt: number;
}
