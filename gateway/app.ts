import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../lib/log';
import { opsRouter } from '../lib/ops-endpoints';
import type { ReadinessCheck } from '../lib/readiness';
import type { ApiKeyStore } from './auth/api-key-store';
import { accessLog } from './http/access-log';
import { correlationId } from './http/correlation-id';
import { errorHandler, notFound } from './http/error-handler';
import { securityHeaders } from './http/security-headers';

/** Adds a group of routes to the app; each group applies its own auth and scope. */
export type RouteMount = (app: Express, context: RouteContext) => void;

export interface RouteContext {
  readonly keyStore: ApiKeyStore;
  readonly logger: Logger;
  readonly registry: Registry;
}

export interface AppDependencies extends RouteContext {
  readonly readiness: readonly ReadinessCheck[];
  readonly routes: readonly RouteMount[];
}

/**
 * The gateway's Express application: correlation ids, security headers and
 * the access log first, then health, readiness and metrics (no key needed),
 * then the API routes, then the 404 and error handlers that answer in the
 * contract's error body.
 */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  app.use(correlationId());
  app.use(securityHeaders());
  app.use(accessLog(deps.logger, deps.registry));
  app.use(opsRouter(deps.registry, deps.readiness));

  for (const mount of deps.routes) mount(app, deps);

  app.use(notFound());
  app.use(errorHandler(deps.logger));
  return app;
}
