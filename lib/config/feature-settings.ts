import { z } from 'zod';
import { MS_PER_SECOND, int, kafkaName, setting } from './setting-types';

/** Pipeline definitions and the feature stage. */
export const featureSettings = {
  pipelinesDir: setting(
    'SMP_PIPELINES_DIR',
    z.string().min(1),
    undefined,
    'Folder (or single file) of pipeline definitions (default: pipelines in the project folder).',
  ),
  featuresGroupId: setting(
    'SMP_FEATURES_GROUP_ID',
    kafkaName,
    'smp-features',
    'Consumer group of `smp features`; its state changelog topic is `<group>.changelog`.',
  ),
  featuresIdleSweepMs: setting(
    'SMP_FEATURES_IDLE_SWEEP_MS',
    int(10, 60 * MS_PER_SECOND),
    '1000',
    'How often the feature stage looks for assets past their idle timeout, in milliseconds.',
  ),
  featuresMaxFutureSkewMs: setting(
    'SMP_FEATURES_MAX_FUTURE_SKEW_MS',
    int(0, 365 * 24 * 3600 * MS_PER_SECOND),
    '3600000',
    'A reading stamped this many milliseconds after its Kafka timestamp is dead-lettered.',
  ),
} as const;
