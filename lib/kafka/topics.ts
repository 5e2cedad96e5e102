import type { Admin, ITopicConfig } from 'kafkajs';
import type { Config } from '../config';

/** The contract topics; their names are fixed by the architecture. */
export const topics = {
  readings: 'telemetry.readings.v1',
  features: 'telemetry.features.v1',
  predictions: 'telemetry.predictions.v1',
  alerts: 'maintenance.alerts.v1',
  late: 'telemetry.late.v1',
  dlq: 'telemetry.dlq.v1',
} as const;

export type TopicRole = keyof typeof topics;

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Broker-side topic configuration, as Kafka spells it. */
  readonly configs: Readonly<Record<string, string>>;
  readonly purpose: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What `smp topics` creates. Data topics share one partition count so that
 * an asset's readings, features and predictions sit on partitions with the
 * same number; the side topics (late, dead letters) keep data longer because
 * people read them days after the fact.
 */
export function contractTopicSpecs(config: Config): TopicSpec[] {
  const dataRetention = config.topicRetentionDays * DAY_MS;
  const spec = (name: string, retentionMs: number, purpose: string): TopicSpec => ({
    name,
    partitions: config.topicPartitions,
    replicationFactor: config.topicReplicationFactor,
    configs: {
      'cleanup.policy': 'delete',
      'retention.ms': String(retentionMs),
      'min.insync.replicas': String(minInSyncReplicas(config.topicReplicationFactor)),
    },
    purpose,
  });
  return [
    spec(topics.readings, dataRetention, 'validated readings from the gateway'),
    spec(topics.features, dataRetention, 'feature vectors of closed windows'),
    spec(topics.predictions, dataRetention, 'model outputs per feature vector'),
    spec(topics.alerts, dataRetention * 4, 'alert raises and resolves'),
    spec(topics.late, dataRetention * 4, 'readings that arrived after the grace period'),
    spec(topics.dlq, dataRetention * 4, 'records a stage could not process'),
  ];
}

/**
 * A compacted topic holding a stage's state, keyed so that the newest value
 * per key is the state. Stages declare theirs through this helper so that
 * compaction is never forgotten.
 */
export function changelogTopicSpec(config: Config, name: string, purpose: string): TopicSpec {
  return {
    name,
    partitions: config.topicPartitions,
    replicationFactor: config.topicReplicationFactor,
    configs: {
      'cleanup.policy': 'compact',
      'min.compaction.lag.ms': '0',
      'segment.ms': String(DAY_MS),
      'min.insync.replicas': String(minInSyncReplicas(config.topicReplicationFactor)),
    },
    purpose,
  };
}

/** With three or more replicas an acknowledged write survives one broker loss. */
function minInSyncReplicas(replicationFactor: number): number {
  return replicationFactor >= 3 ? 2 : 1;
}

export interface TopicDrift {
  readonly topic: string;
  readonly setting: string;
  readonly expected: string;
  readonly actual: string;
  /** Whether `ensureTopics({ apply: true })` can correct it in place. */
  readonly fixable: boolean;
}

export interface EnsureTopicsResult {
  readonly created: string[];
  readonly unchanged: string[];
  readonly drift: TopicDrift[];
  readonly fixed: TopicDrift[];
}

/**
 * Creates missing topics and compares existing ones with their spec. Drift is
 * reported, never ignored; with `apply`, topic configuration is altered to
 * match. Partition count and replication factor are never changed here:
 * adding partitions moves keys to other partitions and breaks per-asset
 * ordering, so that stays a deliberate manual step.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  options: { apply?: boolean } = {},
): Promise<EnsureTopicsResult> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  const present = specs.filter((s) => existing.has(s.name));

  if (missing.length > 0) {
    await admin.createTopics({ waitForLeaders: true, topics: missing.map(toCreateRequest) });
  }

  const drift = present.length > 0 ? await findDrift(admin, present) : [];
  const fixable = drift.filter((d) => d.fixable);
  if (options.apply && fixable.length > 0) {
    await applyConfigs(admin, present, fixable);
  }

  const drifted = new Set(drift.map((d) => d.topic));
  return {
    created: missing.map((s) => s.name),
    unchanged: present.filter((s) => !drifted.has(s.name)).map((s) => s.name),
    drift: options.apply ? drift.filter((d) => !d.fixable) : drift,
    fixed: options.apply ? fixable : [],
  };
}

function toCreateRequest(spec: TopicSpec): ITopicConfig {
  return {
    topic: spec.name,
    numPartitions: spec.partitions,
    replicationFactor: spec.replicationFactor,
    configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
  };
}

const TOPIC_RESOURCE = 2;

async function findDrift(admin: Admin, specs: readonly TopicSpec[]): Promise<TopicDrift[]> {
  const metadata = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((s) => ({ type: TOPIC_RESOURCE, name: s.name })),
  });
  const drift: TopicDrift[] = [];

  for (const spec of specs) {
    const topic = metadata.topics.find((t) => t.name === spec.name);
    const partitions = topic?.partitions ?? [];
    if (partitions.length !== spec.partitions) {
      drift.push(structural(spec.name, 'partitions', spec.partitions, partitions.length));
    }
    const replicas = partitions[0]?.replicas.length ?? 0;
    if (replicas !== spec.replicationFactor) {
      drift.push(structural(spec.name, 'replication.factor', spec.replicationFactor, replicas));
    }

    const resource = described.resources.find((r) => r.resourceName === spec.name);
    const actual = new Map(resource?.configEntries.map((e) => [e.configName, e.configValue]));
    for (const [name, expected] of Object.entries(spec.configs)) {
      const value = actual.get(name) ?? '<unset>';
      if (value !== expected) {
        drift.push({ topic: spec.name, setting: name, expected, actual: value, fixable: true });
      }
    }
  }
  return drift;
}

function structural(topic: string, setting: string, expected: number, actual: number): TopicDrift {
  return { topic, setting, expected: String(expected), actual: String(actual), fixable: false };
}

async function applyConfigs(
  admin: Admin,
  specs: readonly TopicSpec[],
  drift: readonly TopicDrift[],
): Promise<void> {
  const topicsToFix = new Set(drift.map((d) => d.topic));
  await admin.alterConfigs({
    validateOnly: false,
    resources: specs
      .filter((s) => topicsToFix.has(s.name))
      .map((s) => ({
        type: TOPIC_RESOURCE,
        name: s.name,
        configEntries: Object.entries(s.configs).map(([name, value]) => ({ name, value })),
      })),
  });
}
