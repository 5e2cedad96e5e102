import type { Admin, KafkaMessage, Message } from 'kafkajs';
import type { Config } from '../../../lib/config';
import { SmpError } from '../../../lib/errors';
import { changelogTopicSpec, ensureTopics } from '../../../lib/kafka/topics';
import type { WindowMeta } from '../window/window-meta';

/**
 * The feature stage's state topic: compacted, one record per pipeline and
 * asset holding its latest checkpoint (window-meta.ts), in the partition
 * with the number of the asset's readings partition. JSON, because it is
 * small, internal, and worth reading with kcat when something looks wrong.
 */
export function changelogTopicName(groupId: string): string {
  return `${groupId}.changelog`;
}

/**
 * Creates the changelog topic with as many partitions as the input topic,
 * or checks that an existing one has them: a mismatch would put an asset's
 * checkpoints in another process's hands.
 */
export async function ensureChangelogTopic(
  admin: Admin,
  config: Config,
  inputTopic: string,
  changelogTopic: string,
): Promise<void> {
  const metadata = await admin.fetchTopicMetadata({ topics: [inputTopic] });
  const partitions = metadata.topics[0]?.partitions.length ?? 0;
  if (partitions === 0) {
    throw new SmpError('SMP_STATE_TOPIC_MISMATCH', `input topic ${inputTopic} has no partitions`);
  }
  const spec = {
    ...changelogTopicSpec(config, changelogTopic, 'checkpoints of the feature stage'),
    partitions,
  };
  const result = await ensureTopics(admin, [spec]);
  const wrong = result.drift.find((d) => d.setting === 'partitions');
  if (wrong) {
    throw new SmpError(
      'SMP_STATE_TOPIC_MISMATCH',
      `${changelogTopic} has ${wrong.actual} partitions but ${inputTopic} has ${partitions}; ` +
        'delete the changelog topic (state is then rebuilt from scratch) or use another group id',
      { context: { changelogTopic, inputTopic } },
    );
  }
}

export function metaMessage(meta: WindowMeta, partition: number): Message {
  return {
    key: `${meta.pipeline}:${meta.assetId}`,
    value: JSON.stringify(meta),
    partition,
  };
}

/** The checkpoint in a changelog record, or undefined for a tombstone or a foreign record. */
export function readMeta(message: KafkaMessage): WindowMeta | undefined {
  if (!message.value) return undefined;
  try {
    const meta = JSON.parse(message.value.toString('utf8')) as WindowMeta;
    return typeof meta.pipeline === 'string' && typeof meta.through === 'number' ? meta : undefined;
  } catch {
    return undefined;
  }
}

export function metaKey(message: KafkaMessage): string {
  return message.key?.toString('utf8') ?? '';
}
