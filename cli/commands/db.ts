import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { createPool, prepareDatabase, withSession } from '../../lib/db';
import { table } from '../output';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('the PostgreSQL / TimescaleDB schema');
  db.command('migrate')
    .description(
      'apply pending SQL migrations and the storage policy (safe to run from several processes at once)',
    )
    .action(async () => {
      const config = loadConfig();
      const pool = createPool(config, { applicationName: 'smp-migrate', max: 1 });
      try {
        const { migration, report } = await withSession(pool, (s) => prepareDatabase(s, config));
        const names = migration.applied.map((m) => `${m.version}_${m.name}`);
        console.log(`storage: ${migration.storage} (${migration.storageReason})`);
        console.log(
          `applied ${names.length} migration(s)` +
            (names.length ? `: ${names.join(', ')}` : '; the schema is up to date'),
        );
        console.log(
          table([
            ['table', 'retention', 'compression', 'chunks'],
            ...report.lines.map((l) => [l.table, l.retention, l.compression, l.chunks]),
          ]),
        );
        for (const warning of report.warnings) console.log(`warning: ${warning}`);
      } finally {
        await pool.end();
      }
    });
}
