import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { stopOnSignal } from '../../lib/lifecycle';
import { createLogger } from '../../lib/log';
import { createRegistry } from '../../lib/metrics';
import { startApiGateway } from '../../gateway';

export function registerGatewayCommand(program: Command): void {
  program
    .command('gateway')
    .description('serve the HTTP API on GATEWAY_PORT until interrupted')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger({ level: config.logLevel, name: 'smp-gateway' });
      const gateway = await startApiGateway(config, { logger, registry: createRegistry() });
      await stopOnSignal(logger, () => gateway.close());
    });
}
