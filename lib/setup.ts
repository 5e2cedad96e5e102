import type { Config } from './config';
import { createPool, prepareDatabase, withSession } from './db';
import { createKafka } from './kafka/client';
import { contractTopicSpecs, ensureTopics } from './kafka/topics';
import { SmpError } from './errors';
import { createLogger } from './log';
import { RegistryAdmin, registerSchemas, schemaCatalog } from '../schemas';

/**
 * What every deployment needs before its stages start; `smp run` and the
 * docker-compose `setup` service call this. Topic drift is reported and
 * left for `smp topics --apply` (a retention that differs does not stop a
 * pipeline); a local schema the registry would refuse stops everything,
 * since no stage could write with it.
 */
export async function setUp(config: Config, print: (line: string) => void): Promise<void> {
  const logger = createLogger({ level: 'warn', name: 'smp-setup' });

  const admin = createKafka(config, { stage: 'setup', logger }).admin();
  await admin.connect();
  try {
    const result = await ensureTopics(admin, contractTopicSpecs(config));
    print(`topics: ${result.created.length} created, ${result.unchanged.length} unchanged`);
    for (const d of result.drift) {
      const fix = d.fixable ? '`smp topics --apply` fixes it' : 'needs a manual change';
      print(
        `topics: drift on ${d.topic}: ${d.setting} is ${d.actual}, expected ${d.expected}; ${fix}`,
      );
    }
  } finally {
    await admin.disconnect();
  }

  const registry = new RegistryAdmin(config.schemaRegistryUrl);
  const schemas = await registerSchemas(registry, schemaCatalog().values());
  const count = (status: string) => schemas.filter((s) => s.status === status).length;
  print(`schemas: ${count('registered')} registered, ${count('unchanged')} unchanged`);
  const incompatible = schemas.filter((r) => r.status === 'incompatible');
  if (incompatible.length > 0) {
    const lines = incompatible.map((r) => `  ${r.file} vs ${r.subject}: ${r.changes.join('; ')}`);
    throw new SmpError(
      'SMP_SCHEMA_INCOMPATIBLE',
      `the registry would refuse these schemas; \`smp schemas --check\` shows why:\n${lines.join('\n')}`,
    );
  }

  const pool = createPool(config, { applicationName: 'smp-setup', max: 1 });
  try {
    const { migration, report } = await withSession(pool, (s) => prepareDatabase(s, config));
    print(
      `database: ${migration.storage} storage, ${migration.applied.length} migration(s) applied`,
    );
    for (const line of report.lines) {
      print(
        `database: ${line.table}: retention ${line.retention}, compression ${line.compression}`,
      );
    }
    for (const warning of report.warnings) print(`database: warning: ${warning}`);
  } finally {
    await pool.end();
  }
}
