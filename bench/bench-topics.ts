import type { Admin } from 'kafkajs';
import type { Config } from '../lib/config';
import { createKafka } from '../lib/kafka/client';
import { contractTopicSpecs, ensureTopics, topics } from '../lib/kafka/topics';
import { createLogger } from '../lib/log';

/** Two topics shaped like the readings topic, made for one run and deleted after it. */
export class BenchTopics {
  private constructor(
    private readonly config: Config,
    readonly gateway: string,
    readonly java: string,
  ) {}

  static async create(config: Config): Promise<BenchTopics> {
    const stamp = Date.now();
    const bench = new BenchTopics(config, `smp-bench-gateway-${stamp}`, `smp-bench-java-${stamp}`);
    const spec = contractTopicSpecs(config).find((s) => s.name === topics.readings)!;
    await bench.withAdmin((admin) =>
      ensureTopics(admin, [
        { ...spec, name: bench.gateway },
        { ...spec, name: bench.java },
      ]),
    );
    return bench;
  }

  remove(): Promise<void> {
    return this.withAdmin((admin) => admin.deleteTopics({ topics: [this.gateway, this.java] }));
  }

  private async withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const logger = createLogger({ level: 'warn', name: 'bench' });
    const admin = createKafka(this.config, { stage: 'bench', logger }).admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }
}
