import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { stopOnSignal } from '../../lib/lifecycle';
import { createLogger } from '../../lib/log';
import { createRegistry } from '../../lib/metrics';
import { startOpsServer } from '../../lib/ops-endpoints';
import { ReadinessFlag, type ReadinessCheck } from '../../lib/readiness';
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

      // The ops endpoints answer from the start: alive, but not ready while
      // the sink waits for its database or joins its groups.
      const starting = new ReadinessFlag('sink');
      starting.fail('starting');
      const checks: ReadinessCheck[] = [starting];
      const ops =
        config.opsPort > 0 ? await startOpsServer(config.opsPort, registry, checks) : undefined;
      if (ops) logger.info({ port: ops.port }, 'ops endpoints listening');

      const sink = await startSink(config, { logger, registry });
      checks.splice(0, checks.length, ...sink.readiness);
      await stopOnSignal(logger, async () => {
        await sink.stop();
        await ops?.close();
      });
    });
}
