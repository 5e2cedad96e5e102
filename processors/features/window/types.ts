/** A reading as the window code sees it: the Avro Reading, decoded. */
export interface Reading {
  readonly assetId: string;
  /** Event time, epoch milliseconds. */
  readonly ts: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly receivedAt?: number | null;
}

export type CloseReason = 'WATERMARK' | 'IDLE' | 'EVERY_READING';

/** A closed window and its features: the content of a FeatureVector. */
export interface ClosedWindow {
  readonly assetId: string;
  readonly pipeline: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly recordCount: number;
  readonly features: Record<string, number>;
  readonly missingMetrics: string[];
  readonly closeReason: CloseReason;
  /** The asset's clock when the window closed, for the close-lag metric. */
  readonly assetClock: number;
}

export interface LateEvent {
  readonly pipeline: string;
  readonly reading: Reading;
  readonly reason: string;
  /** How far the reading was behind the asset's watermark, in milliseconds. */
  readonly lateByMs: number;
  readonly assetClock: number;
}

/** Where the engine reports what a reading caused. */
export interface EngineListener {
  /** A live reading reached the pipeline (replayed readings are not reported). */
  routed?(pipeline: string): void;
  window(closed: ClosedWindow): void;
  late(event: LateEvent): void;
  duplicate(pipeline: string): void;
}
