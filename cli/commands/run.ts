import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { stopOnSignal } from '../../lib/lifecycle';
import { createLogger } from '../../lib/log';
import { createRegistry } from '../../lib/metrics';
import { startPipelineProcess } from '../pipeline-process';

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('set up, then run every stage in one process until interrupted')
    .option('--no-setup', 'skip creating topics, registering schemas and migrating')
    .action(async (options: { setup: boolean }) => {
      const config = loadConfig();
      const logger = createLogger({ level: config.logLevel, name: 'smp' });
      const pipeline = await startPipelineProcess(config, {
        logger,
        registry: createRegistry(),
        setup: options.setup,
        print: (line) => logger.info(line),
      });
      logger.info(
        { port: pipeline.gateway.port },
        `pipeline running: gateway on http://localhost:${pipeline.gateway.port}, Ctrl-C stops`,
      );
      try {
        await Promise.race([stopOnSignal(logger, () => pipeline.stop()), pipeline.failed]);
      } catch (error) {
        logger.error({ err: error }, 'a stage failed; stopping the others');
        await pipeline.stop().catch(() => undefined);
        throw error;
      }
    });
}
