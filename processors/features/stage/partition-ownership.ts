import type { Admin, Batch, Consumer } from 'kafkajs';
import type { Logger } from '../../../lib/log';
import type { FeatureEngine } from '../window/feature-engine';
import type { WindowMeta } from '../window/window-meta';
import { metaKey, readMeta } from './state-changelog';

/**
 * Which input partitions this process owns and where each one stands.
 *
 * Every assigned partition is paused while its checkpoints are read from
 * the changelog partition with the same number (up to the end it had at
 * assignment). The engine then says where the replay must start, the input
 * partition is moved there and resumed.
 *
 * This happens on every assignment, including for partitions this process
 * held before the rebalance: a member that lost its session and rejoined
 * may get back a partition another member processed in between, and its
 * own state would then be stale. A restore costs one read of a compacted
 * partition and a replay of the open windows, which rebalances can afford.
 */
export type PartitionPhase =
  | { readonly kind: 'restoring' }
  | {
      readonly kind: 'active';
      /** Offset after the last record processed. */
      position: number;
      /** Last committed offset (or -1); commits never go below it. */
      committed: number;
      /** Records before this already produced their side outputs (dead letters). */
      readonly liveFrom: number;
    };

interface Restore {
  readonly started: number;
  readonly metas: Map<string, WindowMeta>;
  end?: number;
  committed?: number;
}

export class PartitionOwnership {
  private readonly phases = new Map<number, PartitionPhase>();
  private readonly restores = new Map<number, Restore>();

  constructor(
    private readonly deps: {
      readonly consumer: Consumer;
      readonly admin: Admin;
      readonly engine: FeatureEngine;
      readonly groupId: string;
      readonly inputTopic: string;
      readonly changelogTopic: string;
      readonly logger: Logger;
      readonly onRestored: (partition: number, seconds: number) => void;
      readonly onFailure: (error: unknown) => void;
    },
  ) {}

  phase(partition: number): PartitionPhase | undefined {
    return this.phases.get(partition);
  }

  active(): [number, Extract<PartitionPhase, { kind: 'active' }>][] {
    const out: [number, Extract<PartitionPhase, { kind: 'active' }>][] = [];
    for (const [p, phase] of this.phases) if (phase.kind === 'active') out.push([p, phase]);
    return out;
  }

  /** Called synchronously on every group join, before the first fetch of the new generation. */
  assign(partitions: readonly number[]): void {
    const { consumer, engine, inputTopic, changelogTopic } = this.deps;
    for (const p of this.phases.keys()) engine.dropPartition(p);
    this.phases.clear();
    this.restores.clear();
    // Changelog partitions are read only while restoring. They are paused
    // by number: kafkajs forgets a topic-wide pause once any single
    // partition of the topic is paused or resumed.
    consumer.pause([{ topic: changelogTopic, partitions: [...partitions] }]);
    if (partitions.length > 0) consumer.pause([{ topic: inputTopic, partitions: [...partitions] }]);
    for (const p of partitions) this.startRestore(p);
    this.deps.logger.info({ partitions }, 'partitions assigned');
  }

  /** Applies a batch of the changelog to the restore of its partition. */
  applyChangelog(batch: Batch): void {
    const restore = this.restores.get(batch.partition);
    if (!restore || restore.end === undefined) return;
    for (const message of batch.messages) {
      const key = metaKey(message);
      const meta = readMeta(message);
      if (meta) restore.metas.set(key, meta);
      else restore.metas.delete(key);
    }
    if (Number(batch.lastOffset()) + 1 >= restore.end) this.finishRestore(batch.partition, restore);
  }

  private startRestore(partition: number): void {
    const restore: Restore = { started: Date.now(), metas: new Map() };
    this.restores.set(partition, restore);
    this.phases.set(partition, { kind: 'restoring' });
    this.readBounds(partition, restore).catch((error: unknown) => this.deps.onFailure(error));
  }

  private async readBounds(partition: number, restore: Restore): Promise<void> {
    const { admin, consumer, groupId, inputTopic, changelogTopic } = this.deps;
    const [offsets, committed] = await Promise.all([
      admin.fetchTopicOffsets(changelogTopic),
      admin.fetchOffsets({ groupId, topics: [inputTopic] }),
    ]);
    if (this.restores.get(partition) !== restore) return;
    const bounds = offsets.find((o) => o.partition === partition);
    const commit = committed[0]?.partitions.find((c) => c.partition === partition)?.offset;
    restore.committed = commit === undefined || Number(commit) < 0 ? undefined : Number(commit);
    const low = Number(bounds?.low ?? 0);
    restore.end = Number(bounds?.high ?? 0);
    if (restore.end <= low) {
      this.finishRestore(partition, restore);
      return;
    }
    consumer.seek({ topic: changelogTopic, partition, offset: String(low) });
    consumer.resume([{ topic: changelogTopic, partitions: [partition] }]);
  }

  private finishRestore(partition: number, restore: Restore): void {
    const { consumer, engine, inputTopic, changelogTopic, logger } = this.deps;
    consumer.pause([{ topic: changelogTopic, partitions: [partition] }]);
    this.restores.delete(partition);

    const metas = [...restore.metas.values()];
    const { replayFrom, changed } = engine.restore(partition, metas, restore.committed);
    if (changed.size > 0) {
      logger.warn(
        { partition, pipelines: [...changed] },
        'window definition changed since the checkpoint; those assets start afresh',
      );
    }
    const newest = metas.reduce((max, m) => Math.max(max, m.through), restore.committed ?? 0);
    if (replayFrom !== undefined) {
      consumer.seek({ topic: inputTopic, partition, offset: String(replayFrom) });
    }
    this.phases.set(partition, {
      kind: 'active',
      position: replayFrom ?? 0,
      committed: restore.committed ?? -1,
      liveFrom: newest,
    });
    consumer.resume([{ topic: inputTopic, partitions: [partition] }]);
    const seconds = (Date.now() - restore.started) / 1000;
    this.deps.onRestored(partition, seconds);
    logger.info(
      { partition, checkpoints: metas.length, replayFrom, committed: restore.committed, seconds },
      'partition restored',
    );
  }
}
