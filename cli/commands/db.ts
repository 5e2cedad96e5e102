import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { createPool, migrate, withSession } from '../../lib/db';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('the PostgreSQL / TimescaleDB schema');
  db.command('migrate')
    .description('apply pending SQL migrations (safe to run from several processes at once)')
    .action(async () => {
      const pool = createPool(loadConfig(), { applicationName: 'smp-migrate', max: 1 });
      try {
        const result = await withSession(pool, (session) => migrate(session));
        const names = result.applied.map((m) => `${m.version}_${m.name}`);
        console.log(
          `storage: ${result.storage}; applied ${names.length} migration(s)` +
            (names.length ? `: ${names.join(', ')}` : '; the schema is up to date'),
        );
      } finally {
        await pool.end();
      }
    });
}
