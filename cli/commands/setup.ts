import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { setUp } from '../../lib/setup';
import { EXIT_CHECK_FAILED } from '../output';

export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description('create topics, register schemas and migrate the database, in that order')
    .action(async () => {
      const problems = await setUp(loadConfig(), (line) => console.log(line));
      if (problems > 0) process.exitCode = EXIT_CHECK_FAILED;
    });
}
