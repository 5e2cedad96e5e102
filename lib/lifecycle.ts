import type { Logger } from './log';

/**
 * Keeps a long-running command alive until SIGINT or SIGTERM, then runs
 * `stop` once. A second signal exits at once, for the impatient operator.
 */
export function stopOnSignal(logger: Logger, stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal, exiting now');
        process.exit(130);
      }
      stopping = true;
      logger.info({ signal }, 'stopping');
      stop()
        .catch((err: unknown) => logger.error({ err }, 'error while stopping'))
        .finally(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve();
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
