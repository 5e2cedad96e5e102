import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { SmpError } from '../../lib/errors';
import type { Scope } from './scopes';

/** Per-key overrides of the gateway's default rate limit. */
export interface KeyRateLimit {
  readonly readingsPerSecond?: number;
  readonly burst?: number;
}

/** What a request authenticated with a key may do. The secret is not part of it. */
export interface ApiKeyPrincipal {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly rateLimit?: KeyRateLimit;
}

export interface ApiKeySummary extends ApiKeyPrincipal {
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export interface CreatedKey {
  readonly id: string;
  /** The whole key, shown once; only a hash of its secret is stored. */
  readonly key: string;
  readonly scopes: readonly Scope[];
}

// smp_<16 hex id>_<43 base64url secret>. The id finds the row; the secret,
// 256 random bits, is what proves possession. A fast hash is enough for a
// secret of that strength; a password hash would only cost latency.
const KEY_PATTERN = /^smp_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

interface CachedKey {
  readonly row: KeyRow | undefined;
  readonly expiresAt: number;
}

interface KeyRow {
  readonly id: string;
  readonly name: string;
  readonly secret_hash: Buffer;
  readonly scopes: Scope[];
  readonly rate_limit: KeyRateLimit | null;
  readonly revoked_at: Date | null;
}

/**
 * API keys in PostgreSQL. Lookups are cached per gateway instance for
 * `cacheTtlMs`, so a revocation reaches every instance within that time
 * without a database round trip per request. Unknown ids are cached too,
 * so a flood of made-up keys cannot turn into a flood of queries. When the
 * database is unreachable, keys seen before keep working as last read.
 */
export class ApiKeyStore {
  private readonly cache = new Map<string, CachedKey>();
  private databaseDownUntil = 0;

  constructor(
    private readonly pool: Pool,
    private readonly cacheTtlMs = 5_000,
  ) {}

  async create(
    name: string,
    scopes: readonly Scope[],
    rateLimit?: KeyRateLimit,
  ): Promise<CreatedKey> {
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    await this.pool.query(
      'INSERT INTO api_keys (id, name, secret_hash, scopes, rate_limit) VALUES ($1, $2, $3, $4, $5)',
      [id, name, hash(secret), scopes, rateLimit ? JSON.stringify(rateLimit) : null],
    );
    return { id, key: `smp_${id}_${secret}`, scopes };
  }

  /** Returns false when no active key has that id. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [id],
    );
    this.cache.delete(id);
    return (result.rowCount ?? 0) > 0;
  }

  async list(): Promise<ApiKeySummary[]> {
    const { rows } = await this.pool.query<KeyRow & { created_at: Date }>(
      'SELECT id, name, scopes, rate_limit, created_at, revoked_at FROM api_keys ORDER BY created_at',
    );
    return rows.map((r) => ({
      ...principal(r),
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    }));
  }

  /** The key's principal, or undefined for a malformed, unknown or revoked key. */
  async authenticate(key: string): Promise<ApiKeyPrincipal | undefined> {
    const match = KEY_PATTERN.exec(key);
    if (!match) return undefined;
    const [, id, secret] = match as unknown as [string, string, string];
    const row = await this.lookup(id);
    if (!row || row.revoked_at) return undefined;
    return timingSafeEqual(row.secret_hash, hash(secret)) ? principal(row) : undefined;
  }

  private async lookup(id: string): Promise<KeyRow | undefined> {
    const cached = this.cache.get(id);
    const now = Date.now();
    if (cached && cached.expiresAt > now) return cached.row;
    if (now < this.databaseDownUntil) return lastKnown(id, cached);
    let rows: KeyRow[];
    try {
      ({ rows } = await this.pool.query<KeyRow>(
        'SELECT id, name, secret_hash, scopes, rate_limit, revoked_at FROM api_keys WHERE id = $1',
        [id],
      ));
    } catch (cause) {
      // Give the database a moment before the next request waits on it again.
      this.databaseDownUntil = Date.now() + DATABASE_RETRY_MS;
      return lastKnown(id, cached, cause);
    }
    const row = rows[0];
    this.cache.set(id, { row, expiresAt: Date.now() + this.cacheTtlMs });
    if (this.cache.size > 100_000) this.evictExpired();
    return row;
  }

  private evictExpired(): void {
    const now = Date.now();
    for (const [id, entry] of this.cache) if (entry.expiresAt <= now) this.cache.delete(id);
    // Still full of live entries: start over rather than grow without bound.
    if (this.cache.size > 100_000) this.cache.clear();
  }
}

const DATABASE_RETRY_MS = 5_000;

/**
 * While the database does not answer, a key seen before keeps the state it
 * had when last read, so ingestion goes on through a database outage (no
 * revocation can be written meanwhile either); a key never seen gets 503.
 */
function lastKnown(id: string, cached: CachedKey | undefined, cause?: unknown): KeyRow | undefined {
  if (cached) return cached.row;
  throw new SmpError('SMP_DATABASE_UNAVAILABLE', 'the key store does not answer; retry shortly', {
    cause,
    context: { keyId: id },
    retryAfterSeconds: DATABASE_RETRY_MS / 1000,
  });
}

function hash(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

function principal(row: KeyRow): ApiKeyPrincipal {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    ...(row.rate_limit ? { rateLimit: row.rate_limit } : {}),
  };
}
