import { loadConfig } from '../../lib/config';
import { createPool, migrate, withSession } from '../../lib/db';
import { createKafka } from '../../lib/kafka/client';
import { contractTopicSpecs, ensureTopics } from '../../lib/kafka/topics';
import { createLogger } from '../../lib/log';
import { RegistryAdmin, registerSchemas, schemaCatalog } from '../../schemas';

/**
 * Before any test: the contract topics, schemas and database tables exist,
 * exactly as `smp topics`, `smp schemas` and `smp db migrate` make them.
 * Unit tests need none of it, so it is skipped when the stack is not up and
 * only unit tests were asked for.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.SMP_TEST_UNIT_ONLY === '1') return;
  const config = loadConfig();
  const logger = createLogger({ level: 'error', name: 'test-setup' });

  const admin = createKafka(config, { stage: 'test-setup', logger }).admin();
  await admin.connect();
  try {
    await ensureTopics(admin, contractTopicSpecs(config));
  } finally {
    await admin.disconnect();
  }

  const results = await registerSchemas(
    new RegistryAdmin(config.schemaRegistryUrl),
    schemaCatalog().values(),
  );
  const incompatible = results.filter((r) => r.status === 'incompatible');
  if (incompatible.length > 0) {
    throw new Error(`incompatible schemas: ${incompatible.map((r) => r.subject).join(', ')}`);
  }

  const pool = createPool(config, { applicationName: 'smp-test-setup', max: 1 });
  try {
    await withSession(pool, (session) => migrate(session));
  } finally {
    await pool.end();
  }
}
