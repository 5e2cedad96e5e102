import type { Command } from 'commander';
import { loadConfig } from '../../lib/config';
import { createPool } from '../../lib/db';
import { stopOnSignal } from '../../lib/lifecycle';
import { createLogger } from '../../lib/log';
import { createRegistry } from '../../lib/metrics';
import { startIngestGateway } from '../../gateway';
import { queryRoutes } from '../../gateway/query';

export function registerGatewayCommand(program: Command): void {
  program
    .command('gateway')
    .description('serve the HTTP API on GATEWAY_PORT until interrupted')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger({ level: config.logLevel, name: 'smp-gateway' });
      const queries = createPool(config, { applicationName: 'smp-gateway-queries' });
      const gateway = await startIngestGateway(config, {
        logger,
        registry: createRegistry(),
        routes: [queryRoutes(queries)],
        onClose: () => queries.end(),
      });
      await stopOnSignal(logger, () => gateway.close());
    });
}
