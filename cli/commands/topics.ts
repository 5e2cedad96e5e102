import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { createKafka } from '../../lib/kafka/client';
import { contractTopicSpecs, ensureTopics } from '../../lib/kafka/topics';
import { createLogger } from '../../lib/log';
import { EXIT_CHECK_FAILED, table } from '../output';

export function registerTopicCommand(program: Command): void {
  program
    .command('topics')
    .description('create the contract topics and report configuration drift on existing ones')
    .option('--apply', 'alter the configuration of drifted topics to match')
    .action(async (options: { apply?: boolean }) => {
      const config = loadConfig();
      const logger = createLogger({ level: 'warn', name: 'smp-topics' });
      const admin = createKafka(config, { stage: 'topics', logger }).admin();
      await admin.connect();
      try {
        const specs = contractTopicSpecs(config);
        const result = await ensureTopics(admin, specs, { apply: options.apply });
        const rows = specs.map((s) => [
          s.name,
          result.created.includes(s.name) ? 'created' : 'exists',
          String(s.partitions),
          String(s.replicationFactor),
          s.configs['cleanup.policy'] ?? '',
          s.purpose,
        ]);
        console.log(table([['TOPIC', 'STATE', 'PARTITIONS', 'RF', 'CLEANUP', 'PURPOSE'], ...rows]));
        for (const d of result.fixed) {
          console.log(`fixed   ${d.topic}: ${d.setting} ${d.actual} -> ${d.expected}`);
        }
        for (const d of result.drift) {
          const how = d.fixable ? 'run `smp topics --apply`' : 'needs a manual change';
          console.log(
            `drift   ${d.topic}: ${d.setting} is ${d.actual}, expected ${d.expected} (${how})`,
          );
        }
        if (result.drift.length > 0) process.exitCode = EXIT_CHECK_FAILED;
      } finally {
        await admin.disconnect();
      }
    });
}
