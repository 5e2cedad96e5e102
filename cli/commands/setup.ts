import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { setUp } from '../../lib/setup';

export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description('create topics, register schemas and migrate the database, in that order')
    .action(async () => {
      await setUp(loadConfig(), (line) => console.log(line));
    });
}
