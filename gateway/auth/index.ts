export {
  ApiKeyStore,
  type ApiKeyPrincipal,
  type ApiKeySummary,
  type CreatedKey,
  type KeyRateLimit,
} from './api-key-store';
export { scopes, isScope, grants, parseScopes, type Scope } from './scopes';
export { authenticate, requireScope } from './middleware';
