import { AssetModel, type AssetKind, type AssetTruth } from './asset-model';
import { seededRandom } from './random';

/** A reading as a telemetry producer would POST it. */
export interface SimulatedReading {
  readonly assetId: string;
  readonly ts: string | number;
  readonly metrics: Record<string, number>;
  readonly tags: Record<string, string>;
}

export interface FleetOptions {
  readonly assets: number;
  readonly seed: string | number;
  /** Event time of the first step, epoch ms. */
  readonly start: number;
  /** Event time between two readings of one asset. */
  readonly intervalMs: number;
  /** Share of assets that degrade and fail within the horizon (0.1). */
  readonly failingShare?: number;
  /** The span over which failures are placed (7 days). */
  readonly horizonMs?: number;
  /** ISO-8601 strings (the default) or epoch milliseconds. */
  readonly tsFormat?: 'iso' | 'epoch';
}

const kinds: readonly AssetKind[] = ['pump', 'compressor', 'fan'];
const DEFAULT_HORIZON_MS = 7 * 24 * 3_600_000;

/**
 * A deterministic fleet: the same options give the same assets, the same
 * failures and the same readings, byte for byte. Each asset draws from a
 * generator of its own, so an asset's readings do not depend on how many
 * others there are.
 */
export class Fleet {
  readonly assets: readonly AssetTruth[];
  private readonly models: AssetModel[];

  constructor(private readonly options: FleetOptions) {
    if (!Number.isInteger(options.assets) || options.assets < 1) {
      throw new Error(`a fleet needs at least one asset, not ${options.assets}`);
    }
    if (!(options.intervalMs > 0)) throw new Error('the reading interval must be positive');
    const fleetRandom = seededRandom(`${options.seed}:fleet`);
    const failing = chooseFailing(options.assets, options.failingShare ?? 0.1, fleetRandom);
    const horizon = options.horizonMs ?? DEFAULT_HORIZON_MS;

    this.models = Array.from({ length: options.assets }, (_, i) => {
      const random = seededRandom(`${options.seed}:asset:${i}`);
      const kind = kinds[i % kinds.length]!;
      let degradationStart: number | null = null;
      let failureAt: number | null = null;
      if (failing.has(i)) {
        failureAt = Math.round(options.start + horizon * random.between(0.5, 1));
        const wearSpan = horizon * random.between(0.2, 0.4);
        degradationStart = Math.max(options.start, failureAt - Math.round(wearSpan));
      }
      const truth: AssetTruth = {
        assetId: `${kind}-${String(i + 1).padStart(4, '0')}`,
        kind,
        site: `site-${(i % 3) + 1}`,
        degradationStart,
        failureAt,
      };
      return new AssetModel(truth, random);
    });
    this.assets = this.models.map((m) => m.truth);
  }

  /**
   * Readings in event-time order, one step of every asset after another,
   * without end (silent assets skip their turn); take what you need.
   */
  *readings(): Generator<SimulatedReading> {
    const { start, intervalMs } = this.options;
    const iso = (this.options.tsFormat ?? 'iso') === 'iso';
    const lastFailure = Math.max(...this.assets.map((a) => a.failureAt ?? Infinity));
    for (let step = 0; ; step++) {
      const t = start + step * intervalMs;
      if (t >= lastFailure) return;
      const ts = iso ? new Date(t).toISOString() : t;
      for (const model of this.models) {
        const metrics = model.sample(t, intervalMs);
        if (!metrics) continue;
        const { assetId, kind, site } = model.truth;
        yield { assetId, ts, metrics, tags: { site, kind } };
      }
    }
  }
}

/** Groups readings into batches of `size`, stopping after `limit` readings if given. */
export function* batchesOf<T>(items: Iterable<T>, size: number, limit = Infinity): Generator<T[]> {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`batch size must be at least 1, not ${size}`);
  let batch: T[] = [];
  let taken = 0;
  if (limit <= 0) return;
  for (const item of items) {
    batch.push(item);
    taken++;
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
    if (taken >= limit) break;
  }
  if (batch.length > 0) yield batch;
}

function chooseFailing(
  assets: number,
  share: number,
  random: ReturnType<typeof seededRandom>,
): Set<number> {
  const count = share > 0 ? Math.max(1, Math.round(assets * share)) : 0;
  const indices = Array.from({ length: assets }, (_, i) => i);
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return new Set(indices.slice(0, Math.min(count, assets)));
}
