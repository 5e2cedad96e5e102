import type { Config } from '../lib/config';
import { createPool } from '../lib/db';
import { startIngestGateway } from './ingest';
import { queryRoutes } from './query';
import type { GatewayOptions, RunningGateway } from './server';

/**
 * The whole HTTP API: ingestion and the query routes, the latter on a
 * connection pool of their own so that slow reports cannot starve the key
 * lookups of ingestion.
 */
export async function startApiGateway(
  config: Config,
  options: GatewayOptions,
): Promise<RunningGateway> {
  const queries = createPool(config, { applicationName: 'smp-gateway-queries' });
  try {
    return await startIngestGateway(config, {
      ...options,
      routes: [queryRoutes(queries), ...(options.routes ?? [])],
      onClose: async () => {
        await options.onClose?.();
        await queries.end();
      },
    });
  } catch (error) {
    await queries.end();
    throw error;
  }
}
