import { counter, gauge, histogram, latencyBuckets, type Registry } from '../../../lib/metrics';
import type { FeatureEngine } from '../window/feature-engine';

/** Buckets for close lags, which range from milliseconds (live) to days (replays). */
const lagBuckets = [0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600, 21_600, 86_400];

/**
 * The feature stage's metrics. Labels are the pipeline, the partition, the
 * close reason or the error code: all bounded, never an asset id.
 */
export function featureStageMetrics(registry: Registry, engine: () => FeatureEngine | undefined) {
  return {
    readingsIn: counter(registry, {
      name: 'smp_features_readings_in_total',
      help: 'Readings taken by a pipeline (a reading counts once per pipeline that selects it).',
      labelNames: ['pipeline'],
    }),
    vectorsOut: counter(registry, {
      name: 'smp_features_vectors_out_total',
      help: 'Feature vectors produced, by why their window closed.',
      labelNames: ['pipeline', 'reason'],
    }),
    late: counter(registry, {
      name: 'smp_features_late_total',
      help: 'Readings later than the grace period, sent to the late topic.',
      labelNames: ['pipeline'],
    }),
    duplicates: counter(registry, {
      name: 'smp_features_duplicates_total',
      help: 'Readings with an (assetId, ts) already counted; they change nothing.',
      labelNames: ['pipeline'],
    }),
    deadLetters: counter(registry, {
      name: 'smp_features_dead_letters_total',
      help: 'Records sent to the dead-letter topic, by error code.',
      labelNames: ['code'],
    }),
    unrouted: counter(registry, {
      name: 'smp_features_unrouted_total',
      help: 'Readings of assets that no pipeline selects.',
    }),
    replayed: counter(registry, {
      name: 'smp_features_replayed_total',
      help: 'Records read again to rebuild window state after a partition was assigned.',
    }),
    closeLagEvent: histogram(registry, {
      name: 'smp_features_close_lag_event_seconds',
      help: "How far the asset's event-time clock had passed a window's end when it closed.",
      labelNames: ['pipeline'],
      buckets: lagBuckets,
    }),
    closeLagWall: histogram(registry, {
      name: 'smp_features_close_lag_wall_seconds',
      help: "Wall-clock time between a window's end and its feature vector.",
      labelNames: ['pipeline'],
      buckets: lagBuckets,
    }),
    consumerLag: gauge(registry, {
      name: 'smp_features_consumer_lag',
      help: 'Readings on the input partition not processed yet.',
      labelNames: ['partition'],
    }),
    restoreSeconds: histogram(registry, {
      name: 'smp_features_restore_seconds',
      help: 'Time to read the checkpoints of an assigned partition.',
      buckets: latencyBuckets,
    }),
    flushSeconds: histogram(registry, {
      name: 'smp_features_flush_seconds',
      help: 'Time to write outputs and checkpoints and commit offsets.',
      buckets: latencyBuckets,
    }),
    ...censusGauges(registry, engine),
  };
}

export type FeatureStageMetrics = ReturnType<typeof featureStageMetrics>;

function censusGauges(registry: Registry, engine: () => FeatureEngine | undefined) {
  // Both walk the state at scrape time, which costs a microsecond or so per asset.
  return {
    trackedAssets: gauge(registry, {
      name: 'smp_features_tracked_assets',
      help: 'Assets with window state, per pipeline.',
      labelNames: ['pipeline'],
      collect() {
        this.reset();
        for (const c of engine()?.census() ?? []) this.set({ pipeline: c.pipeline }, c.assets);
      },
    }),
    openWindows: gauge(registry, {
      name: 'smp_features_open_windows',
      help: 'Windows holding readings that have not closed yet, per pipeline.',
      labelNames: ['pipeline'],
      collect() {
        this.reset();
        for (const c of engine()?.census() ?? []) {
          this.set({ pipeline: c.pipeline }, c.openWindows);
        }
      },
    }),
  };
}
