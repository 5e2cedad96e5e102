import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { RegistryAdmin, registerSchemas, schemaCatalog } from '../../schemas';
import { EXIT_CHECK_FAILED, table } from '../output';

export function registerSchemaCommand(program: Command): void {
  program
    .command('schemas')
    .description('register the Avro schemas under <topic>-value and enforce compatibility')
    .option('--check', 'only check compatibility with the registered versions; register nothing')
    .action(async (options: { check?: boolean }) => {
      const config = loadConfig();
      const admin = new RegistryAdmin(config.schemaRegistryUrl);
      const results = await registerSchemas(admin, schemaCatalog().values(), {
        dryRun: options.check,
      });
      const rows = results.map((r) => [
        r.subject,
        r.status,
        r.id === undefined ? '-' : String(r.id),
        r.version === undefined ? '-' : String(r.version),
        r.compatibility ?? '-',
      ]);
      console.log(table([['SUBJECT', 'STATUS', 'ID', 'VERSION', 'COMPATIBILITY'], ...rows]));
      for (const r of results.filter((x) => x.changes.length > 0 || x.reason)) {
        console.log(`\n${r.file} vs ${r.subject} (latest registered version):`);
        for (const change of r.changes) console.log(`  ${change}`);
        if (r.status === 'incompatible') console.log(`  incompatible: ${r.reason}`);
      }
      if (results.some((r) => r.status === 'incompatible')) process.exitCode = EXIT_CHECK_FAILED;
    });
}
