import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { stopOnSignal } from '../../lib/lifecycle';
import { createLogger } from '../../lib/log';
import { createRegistry } from '../../lib/metrics';
import { startOpsServer } from '../../lib/ops-endpoints';
import { startSink } from '../../processors/sink';

export function registerSinkCommand(program: Command): void {
  program
    .command('sink')
    .description(
      'store readings, features, predictions and alerts in PostgreSQL / TimescaleDB until interrupted',
    )
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger({ level: config.logLevel, name: 'smp-sink' });
      const registry = createRegistry();
      const sink = await startSink(config, { logger, registry });
      const ops =
        config.opsPort > 0
          ? await startOpsServer(config.opsPort, registry, sink.readiness)
          : undefined;
      if (ops) logger.info({ port: ops.port }, 'ops endpoints listening');
      await stopOnSignal(logger, async () => {
        await sink.stop();
        await ops?.close();
      });
    });
}
