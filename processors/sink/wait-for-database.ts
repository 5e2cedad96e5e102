import { setTimeout as sleep } from 'node:timers/promises';
import { classifyDatabaseError } from '../../lib/db';
import { isSmpError } from '../../lib/errors';
import type { Logger } from '../../lib/log';
import { backoff } from './retrier';

const MAX_DELAY_MS = 10_000;

/**
 * Runs `prepare` until the database lets it: a sink started before its
 * database (a host reboot, a compose file without health checks) waits
 * for it rather than exiting. Errors of the schema itself (a failed or
 * edited migration, the wrong storage) stop the process.
 */
export async function waitForDatabase<T>(
  logger: Logger,
  signal: AbortSignal,
  prepare: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prepare();
    } catch (error) {
      if (isSmpError(error) || classifyDatabaseError(error) !== 'unavailable') throw error;
      const delay = backoff(attempt, MAX_DELAY_MS);
      logger.warn({ err: error, retryInMs: delay }, 'database unavailable at start, waiting');
      await sleep(delay, undefined, { signal });
    }
  }
}
