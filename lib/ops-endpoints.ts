import http from 'node:http';
import express, { type Router } from 'express';
import type { Registry } from 'prom-client';
import { evaluateReadiness, type ReadinessCheck } from './readiness';

/**
 * `/healthz` (the process is up), `/readyz` (it can do its work) and
 * `/metrics` (Prometheus text format). The gateway mounts these on its own
 * port; stages running alone serve them with `startOpsServer`.
 */
export function opsRouter(registry: Registry, checks: readonly ReadinessCheck[]): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const report = await evaluateReadiness(checks);
    if (!report.ready) res.status(503).setHeader('Retry-After', '5');
    res.json({ status: report.ready ? 'ready' : 'not ready', checks: report.checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  return router;
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

export function startOpsServer(
  port: number,
  registry: Registry,
  checks: readonly ReadinessCheck[],
): Promise<OpsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRouter(registry, checks));
  const server = http.createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
