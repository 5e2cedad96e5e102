import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../lib/config';
import { createPool } from '../lib/db';
import { createKafka } from '../lib/kafka/client';
import type { Logger } from '../lib/log';
import type { Registry } from '../lib/metrics';
import type { ReadinessCheck } from '../lib/readiness';
import { createApp, type RouteMount } from './app';
import { ApiKeyStore } from './auth/api-key-store';
import { answerClientError } from './http/client-error';

export interface RunningGateway {
  readonly port: number;
  close(): Promise<void>;
}

export interface GatewayOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  /** Route groups to serve besides health, readiness and metrics. */
  readonly routes?: readonly RouteMount[];
  /** Extra readiness checks, such as a producer's connection. */
  readonly readiness?: readonly ReadinessCheck[];
  /** Called on close, after the HTTP server stopped taking requests. */
  readonly onClose?: () => Promise<void>;
}

/**
 * Starts the HTTP server with the timeouts a public endpoint needs: a slow
 * client cannot hold a connection open by trickling headers or a body.
 */
export async function startGateway(
  config: Config,
  options: GatewayOptions,
): Promise<RunningGateway> {
  const pool = createPool(config, { applicationName: 'smp-gateway' });
  const keyStore = new ApiKeyStore(pool, config.gatewayKeyCacheMs);
  const admin = createKafka(config, {
    stage: 'gateway-admin',
    logger: options.logger,
    retries: 0,
  }).admin();

  const readiness: ReadinessCheck[] = [
    { name: 'database', check: async () => void (await pool.query('SELECT 1')) },
    { name: 'kafka', check: async () => void (await admin.describeCluster()) },
    {
      name: 'schema-registry',
      check: async () => {
        const res = await fetch(`${config.schemaRegistryUrl}/subjects`, {
          signal: AbortSignal.timeout(2000),
        });
        if (!res.ok) throw new Error(`registry answered ${res.status}`);
      },
    },
    ...(options.readiness ?? []),
  ];

  const app = createApp({
    keyStore,
    logger: options.logger,
    registry: options.registry,
    readiness,
    routes: options.routes ?? [],
  });

  // Node checks the request and header timeouts on this interval; its
  // default of 30 s would let a slow client overstay them by that much.
  const server = http.createServer({ connectionsCheckingInterval: 1_000 }, app);
  server.requestTimeout = config.gatewayRequestTimeoutMs;
  server.headersTimeout = Math.min(config.gatewayRequestTimeoutMs, config.gatewayHeadersTimeoutMs);
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerClientError);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.gatewayPort, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port }, 'gateway listening');

  return {
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await options.onClose?.();
      await admin.disconnect().catch(() => undefined);
      await pool.end();
    },
  };
}
