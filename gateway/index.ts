export { createApp, type RouteMount, type RouteContext, type AppDependencies } from './app';
export { startGateway, type RunningGateway, type GatewayOptions } from './server';
export { ApiKeyStore, authenticate, requireScope, parseScopes, type Scope } from './auth';
export { sendError, type ErrorBody } from './http/error-handler';
export { HTML_PAGE_POLICY } from './http/security-headers';
export { createIngest, startIngestGateway, type Ingest, type IngestOptions } from './ingest';
export { startApiGateway } from './api-gateway';
