import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { stackDown, stackStatus, stackUp } from '../../infra/stack';
import { table } from '../output';

export function registerStackCommands(program: Command): void {
  const stack = program
    .command('stack')
    .description('run the local Kafka, schema registry and PostgreSQL (data under .stack/)');

  stack
    .command('up')
    .description('start whatever is not running yet and wait until each service answers')
    .action(async () => {
      const config = loadConfig();
      const reports = await stackUp(config, (r) => {
        const version = r.version ? `  ${r.version}` : '';
        console.log(
          `${r.service.padEnd(9)} ${r.outcome.padEnd(16)} ${r.endpoint}${version}  (${r.seconds.toFixed(1)} s)`,
        );
      });
      if (reports.every((r) => r.outcome !== 'started')) {
        console.log('nothing to do: every service was already running');
      }
    });

  stack
    .command('down')
    .description('stop the services that `smp stack up` started, and nothing else')
    .action(async () => {
      const stopped = await stackDown(loadConfig());
      console.log(stopped.length > 0 ? `stopped ${stopped.join(', ')}` : 'nothing to stop');
    });

  stack
    .command('status')
    .description('show each service with its version, endpoint and health')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const statuses = await stackStatus(loadConfig());
      if (options.json) {
        console.log(JSON.stringify(statuses, null, 2));
      } else {
        const rows = statuses.map((s) => [
          s.service,
          s.healthy ? 'healthy' : 'down',
          s.version ?? '-',
          s.endpoint,
          s.managed ? `pid ${s.pid}, log ${s.logFile}` : s.healthy ? 'external' : (s.detail ?? ''),
        ]);
        console.log(table([['SERVICE', 'HEALTH', 'VERSION', 'ENDPOINT', 'DETAIL'], ...rows]));
      }
      if (statuses.some((s) => !s.healthy)) process.exitCode = 1;
    });
}
