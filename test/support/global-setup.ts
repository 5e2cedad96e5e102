import { loadConfig } from '../../lib/config';
import { setUp } from '../../lib/setup';

/**
 * Before any test: the contract topics, schemas and database tables exist,
 * exactly as `smp setup` makes them. Unit tests need none of it, so it is
 * skipped when only unit tests were asked for.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.SMP_TEST_UNIT_ONLY === '1') return;
  await setUp(loadConfig(), () => undefined);
}
