import type { Admin } from 'kafkajs';
import type { Config } from '../lib/config';
import { createKafka } from '../lib/kafka/client';
import { topics } from '../lib/kafka/topics';
import type { Logger } from '../lib/log';
import { changelogTopicName } from '../processors/features';

/**
 * Consumer groups that exist for one finite run: they start at the current
 * end of their topics, so the run sees only the data it sends itself (not
 * whatever the topics held before), and they are deleted afterwards with
 * the feature stage's changelog topic.
 */
export class RunGroups {
  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  /** The group and topic of every consumer the pipeline process runs. */
  private subscriptions(): [group: string, topic: string][] {
    const { featuresGroupId, sinkGroupId, sinkTopics } = this.config;
    return [
      [featuresGroupId, topics.readings],
      ...sinkTopics.map((role): [string, string] => [`${sinkGroupId}.${role}`, topics[role]]),
    ];
  }

  async startAtEnd(): Promise<void> {
    await this.withAdmin(async (admin) => {
      for (const [groupId, topic] of this.subscriptions()) {
        const ends = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({
          groupId,
          topic,
          partitions: ends.map((e) => ({ partition: e.partition, offset: e.high })),
        });
      }
    });
  }

  async remove(): Promise<void> {
    await this.withAdmin(async (admin) => {
      const groups = [...new Set(this.subscriptions().map(([group]) => group))];
      await admin.deleteGroups(groups).catch((err: unknown) => {
        this.logger.warn({ err, groups }, "could not delete the run's consumer groups");
      });
      await admin
        .deleteTopics({ topics: [changelogTopicName(this.config.featuresGroupId)] })
        .catch((err: unknown) => this.logger.warn({ err }, 'could not delete the changelog topic'));
    });
  }

  private async withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = createKafka(this.config, { stage: 'demo-admin', logger: this.logger }).admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }
}
