import type { Random } from './random';

/** The metrics every simulated asset reports, with their units in the name. */
export const simulatedMetrics = ['temp_c', 'vib_rms_mm_s', 'pressure_bar', 'current_a'] as const;
export type SimulatedMetric = (typeof simulatedMetrics)[number];

export type AssetKind = 'pump' | 'compressor' | 'fan';

/** What is true about an asset, including what its readings only hint at. */
export interface AssetTruth {
  readonly assetId: string;
  readonly kind: AssetKind;
  readonly site: string;
  /** When wear starts to show (epoch ms), for assets that fail. */
  readonly degradationStart: number | null;
  /** When the asset fails and falls silent (epoch ms). */
  readonly failureAt: number | null;
}

interface Nominal {
  readonly tempRise: number;
  readonly vibration: number;
  readonly pressure: number;
  readonly current: number;
}

const nominal: Record<AssetKind, Nominal> = {
  pump: { tempRise: 30, vibration: 1.2, pressure: 5, current: 25 },
  compressor: { tempRise: 45, vibration: 2, pressure: 8, current: 40 },
  fan: { tempRise: 15, vibration: 1.8, pressure: 1.2, current: 12 },
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const THERMAL_TIME_CONSTANT_MS = 20 * 60_000;
// Per step: the chance a sensor drops out, or the asset loses contact.
const SENSOR_DROPOUT_CHANCE = 0.001;
const CONTACT_LOSS_CHANCE = 0.0005;
const MEAN_DROPOUT_STEPS = 20;

/**
 * One machine's physics, coarse but recognisable: load follows a daily
 * shift pattern, bearing temperature follows ambient and load with
 * thermal inertia, vibration, pressure and current follow load, and each
 * has sensor noise. A failing asset's health falls ever faster from its
 * degradation start until its failure: it runs hotter, vibrates more
 * (with spikes near the end), draws more current and loses pressure, and
 * then falls silent. Sensors drop out now and then, and whole assets lose
 * contact for a while.
 */
export class AssetModel {
  private readonly scale: Nominal;
  private readonly loadPhaseHours: number;
  private temperature: number | undefined;
  private load = 0.6;
  private step = 0;
  private silentUntil = -1;
  private readonly droppedUntil = new Map<SimulatedMetric, number>();

  constructor(
    readonly truth: AssetTruth,
    private readonly random: Random,
  ) {
    const base = nominal[truth.kind];
    this.scale = {
      tempRise: base.tempRise * random.between(0.85, 1.15),
      vibration: base.vibration * random.between(0.75, 1.25),
      pressure: base.pressure * random.between(0.9, 1.1),
      current: base.current * random.between(0.85, 1.15),
    };
    this.loadPhaseHours = random.between(-1.5, 1.5);
  }

  /** The metrics at time `t`, or undefined while the asset is silent. */
  sample(t: number, dtMs: number): Record<string, number> | undefined {
    this.step++;
    const health = this.health(t);
    if (health === undefined) return undefined;
    this.advanceLoad(t, dtMs);
    const wear = 1 - health;
    const random = this.random;

    const ambient = 15 + 8 * Math.sin((2 * Math.PI * (hourOfDay(t) - 9)) / 24);
    const target = ambient + this.scale.tempRise * this.load + 25 * wear ** 1.5;
    const alpha = 1 - Math.exp(-dtMs / THERMAL_TIME_CONSTANT_MS);
    this.temperature =
      this.temperature === undefined
        ? target
        : this.temperature + (target - this.temperature) * alpha;

    const spike = wear > 0.8 && random.chance(0.05) ? 2 : 1;
    const values: Record<SimulatedMetric, number> = {
      temp_c: this.temperature + 0.2 * random.normal(),
      vib_rms_mm_s:
        this.scale.vibration * (0.7 + 0.5 * this.load) * (1 + 4 * wear ** 2) * spike +
        Math.abs(0.03 * random.normal()),
      pressure_bar:
        this.scale.pressure * (0.8 + 0.3 * this.load) * (1 - 0.25 * wear) + 0.05 * random.normal(),
      current_a:
        this.scale.current * (0.5 + 0.6 * this.load) * (1 + 0.3 * wear) + 0.3 * random.normal(),
    };

    if (this.step <= this.silentUntil) return undefined;
    if (random.chance(CONTACT_LOSS_CHANCE)) {
      this.silentUntil = this.step + this.dropoutSteps();
      return undefined;
    }
    return this.reported(values);
  }

  /** 1 when new, falling to 0 at failure; undefined once failed. */
  private health(t: number): number | undefined {
    const { degradationStart, failureAt } = this.truth;
    if (failureAt === null || degradationStart === null) return 1;
    if (t >= failureAt) return undefined;
    if (t < degradationStart) return 1;
    const progress = (t - degradationStart) / (failureAt - degradationStart);
    return 1 - progress ** 2;
  }

  private advanceLoad(t: number, dtMs: number): void {
    const hour = hourOfDay(t) - this.loadPhaseHours;
    const shift = 0.55 + 0.3 * Math.sin((2 * Math.PI * (hour - 8)) / 24);
    // The load wanders around the shift pattern, pulled back within hours.
    const pull = 1 - Math.exp(-dtMs / HOUR_MS);
    this.load += (shift - this.load) * pull + 0.02 * this.random.normal();
    this.load = Math.min(1, Math.max(0.1, this.load));
  }

  private reported(values: Record<SimulatedMetric, number>): Record<string, number> | undefined {
    const out: Record<string, number> = {};
    let count = 0;
    for (const metric of simulatedMetrics) {
      const until = this.droppedUntil.get(metric) ?? -1;
      if (this.step <= until) continue;
      if (this.random.chance(SENSOR_DROPOUT_CHANCE)) {
        this.droppedUntil.set(metric, this.step + this.dropoutSteps());
        continue;
      }
      out[metric] = round(values[metric], metric === 'vib_rms_mm_s' ? 3 : 2);
      count++;
    }
    return count > 0 ? out : undefined;
  }

  private dropoutSteps(): number {
    return Math.max(1, Math.round(-MEAN_DROPOUT_STEPS * Math.log(1 - this.random.next())));
  }
}

function hourOfDay(t: number): number {
  return (((t % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
