import type { Config } from './config';
import { createPool, prepareDatabase, withSession } from './db';
import { createKafka } from './kafka/client';
import { contractTopicSpecs, ensureTopics } from './kafka/topics';
import { createLogger } from './log';
import { RegistryAdmin, registerSchemas, schemaCatalog } from '../schemas';

/**
 * What every deployment needs before its stages start; `smp run` and the
 * docker-compose `setup` service call this. Returns the number of problems
 * (topic drift, incompatible schemas) it reported but could not fix.
 */
export async function setUp(config: Config, print: (line: string) => void): Promise<number> {
  const logger = createLogger({ level: 'warn', name: 'smp-setup' });
  let problems = 0;

  const admin = createKafka(config, { stage: 'setup', logger }).admin();
  await admin.connect();
  try {
    const result = await ensureTopics(admin, contractTopicSpecs(config));
    print(`topics: ${result.created.length} created, ${result.unchanged.length} unchanged`);
    for (const d of result.drift)
      print(`topics: drift on ${d.topic}: ${d.setting} is ${d.actual}, expected ${d.expected}`);
    problems += result.drift.length;
  } finally {
    await admin.disconnect();
  }

  const registry = new RegistryAdmin(config.schemaRegistryUrl);
  const schemas = await registerSchemas(registry, schemaCatalog().values());
  const count = (status: string) => schemas.filter((s) => s.status === status).length;
  print(`schemas: ${count('registered')} registered, ${count('unchanged')} unchanged`);
  for (const s of schemas.filter((r) => r.status === 'incompatible')) {
    print(`schemas: ${s.file} is incompatible with ${s.subject}: ${s.changes.join('; ')}`);
    problems += 1;
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
  return problems;
}
