import type { ApiKeyPrincipal } from '../auth/api-key-store';

/** What the gateway's middleware attaches to each request. */
export interface AuditInfo {
  /** Readings (or rows) the request carried, for the audit line. */
  count?: number;
  outcome?: string;
}

declare global {
  // Express's own request type is declared in this namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      correlationId: string;
      principal?: ApiKeyPrincipal;
      audit: AuditInfo;
    }
  }
}
