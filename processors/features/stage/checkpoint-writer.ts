import type { Consumer, Message, Producer, TopicMessages } from 'kafkajs';
import { messageOf } from '../../../lib/errors';
import type { Logger } from '../../../lib/log';

/**
 * Everything the stage has to make durable up to one point: the outputs of
 * the records processed so far, the checkpoints of the assets they changed,
 * and the offsets to commit.
 */
export interface Cut {
  readonly outputs: TopicMessages[];
  readonly checkpoints: Message[];
  readonly commits: { partition: number; offset: number }[];
}

/**
 * Writes cuts one after the other, each in three steps, each waiting for
 * the previous one to be acknowledged:
 *
 *   1. feature vectors, late readings and dead letters (acks=all);
 *   2. the checkpoints, which say "readings before offset N are in";
 *   3. the offset commit.
 *
 * A crash between any two steps is safe: a checkpoint is never ahead of the
 * outputs it implies, and an offset never ahead of either. Processing goes
 * on while a cut is being written; the next cut waits for it.
 */
export class CheckpointWriter {
  private writing = false;
  private running: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly deps: {
      readonly producer: Producer;
      readonly consumer: Consumer;
      readonly inputTopic: string;
      readonly changelogTopic: string;
      readonly logger: Logger;
      /** Takes what is pending, or undefined when nothing is. */
      readonly takeCut: () => Cut | undefined;
      readonly owns: (partition: number) => boolean;
      readonly onCommitted: (partition: number, offset: number) => void;
      readonly onWritten: (seconds: number) => void;
    },
  ) {}

  /** Starts writing what is pending, unless a write is already running. */
  request(): void {
    if (this.writing || this.failure) return;
    this.writing = true;
    this.running = this.loop();
  }

  /** Resolves once nothing is being written; rejects if a write failed for good. */
  async settle(): Promise<void> {
    while (this.writing) await this.running;
    if (this.failure) throw this.failure;
  }

  get busy(): boolean {
    return this.writing;
  }

  get failed(): unknown {
    return this.failure;
  }

  // The flag is cleared in the same tick as the last empty takeCut, so a
  // request that comes right after always finds the loop idle or running.
  private async loop(): Promise<void> {
    try {
      for (let cut = this.deps.takeCut(); cut; cut = this.deps.takeCut()) {
        const started = process.hrtime.bigint();
        await this.write(cut);
        this.deps.onWritten(Number(process.hrtime.bigint() - started) / 1e9);
      }
    } catch (error) {
      this.failure = error;
    } finally {
      this.writing = false;
    }
  }

  private async write(cut: Cut): Promise<void> {
    const { producer, consumer, inputTopic, changelogTopic, logger } = this.deps;
    for (const chunk of chunks(cut.outputs)) {
      await producer.sendBatch({ acks: -1, topicMessages: chunk });
    }
    for (const chunk of chunks([{ topic: changelogTopic, messages: cut.checkpoints }])) {
      await producer.sendBatch({ acks: -1, topicMessages: chunk });
    }
    const commits = cut.commits.filter((c) => this.deps.owns(c.partition));
    if (commits.length === 0) return;
    try {
      await consumer.commitOffsets(
        commits.map((c) => ({
          topic: inputTopic,
          partition: c.partition,
          offset: String(c.offset),
        })),
      );
      for (const c of commits) this.deps.onCommitted(c.partition, c.offset);
    } catch (error) {
      // A rebalance is under way: the partitions' next owner starts from the
      // previous commit and the checkpoints just written, which is safe.
      logger.warn({ err: messageOf(error), commits }, 'offset commit refused');
    }
  }
}

/**
 * A request holds one record batch per partition, and a broker refuses a
 * batch over its max.message.bytes (1 MiB by default); a cut of thousands
 * of vectors is therefore sent in requests of at most CHUNK_BYTES. Chunks
 * go out one after the other, which keeps each partition's order.
 */
const CHUNK_BYTES = 512 * 1024;

function chunks(topicMessages: readonly TopicMessages[]): TopicMessages[][] {
  const out: TopicMessages[][] = [];
  let current = new Map<string, Message[]>();
  let bytes = 0;
  const close = () => {
    if (current.size === 0) return;
    out.push([...current].map(([topic, messages]) => ({ topic, messages })));
    current = new Map();
    bytes = 0;
  };
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const size = sizeOf(message.value) + sizeOf(message.key) + 64;
      if (bytes + size > CHUNK_BYTES) close();
      let list = current.get(topic);
      if (!list) current.set(topic, (list = []));
      list.push(message);
      bytes += size;
    }
  }
  close();
  return out;
}

function sizeOf(data: Message['value'] | Message['key']): number {
  if (data === null || data === undefined) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}
