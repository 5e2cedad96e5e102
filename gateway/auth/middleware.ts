import type { RequestHandler } from 'express';
import { SmpError } from '../../lib/errors';
import type { ApiKeyStore } from './api-key-store';
import { grants, type Scope } from './scopes';
import '../http/request-context';

/** 401 unless the request carries an active key in X-API-Key. */
export function authenticate(store: ApiKeyStore): RequestHandler {
  return async (req, _res, next) => {
    const key = req.get('x-api-key');
    if (!key) {
      throw new SmpError('SMP_AUTH_REQUIRED', 'send an API key in the X-API-Key header');
    }
    const principal = await store.authenticate(key.trim());
    if (!principal) {
      throw new SmpError('SMP_AUTH_INVALID', 'the API key is unknown or revoked');
    }
    req.principal = principal;
    next();
  };
}

/** 403 unless the authenticated key holds `scope` (or admin). */
export function requireScope(scope: Scope): RequestHandler {
  return (req, _res, next) => {
    const held = req.principal?.scopes ?? [];
    if (!grants(held, scope)) {
      throw new SmpError('SMP_SCOPE_MISSING', `this route needs the ${scope} scope`, {
        details: [{ required: scope, held }],
      });
    }
    next();
  };
}
