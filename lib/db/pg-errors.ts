/**
 * What a failed database call means for the caller:
 *   unavailable   - the server cannot be reached or is shutting down; wait
 *   transient     - this attempt failed (deadlock, lock or statement
 *                   timeout, resources); the same work may succeed later
 *   record        - a row itself is unacceptable (bad data, a constraint);
 *                   retrying it will never help
 *   duplicate     - a unique key already holds the row
 *   no-partition  - plain PostgreSQL has no partition for the row's time
 * Anything unrecognised counts as transient: a sink that cannot tell must
 * keep the data and keep trying rather than throw it away.
 */
export type DatabaseFailure = 'unavailable' | 'transient' | 'record' | 'duplicate' | 'no-partition';

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// node-postgres reports a lost or refused connection in these words, without a code.
const unavailableMessages = new RegExp(
  [
    'Connection terminated',
    'connection error',
    'timeout exceeded when trying to connect',
    'Client was closed',
    'not queryable',
    'terminating connection',
  ].join('|'),
  'i',
);

export function classifyDatabaseError(error: unknown): DatabaseFailure {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && networkCodes.has(code)) return 'unavailable';
  const state = sqlState(error);
  if (state === undefined) {
    if (unavailableMessages.test((error as Error)?.message ?? '')) return 'unavailable';
    return 'transient';
  }
  if (state === '23505') return 'duplicate';
  if (state === '23514' && /no partition of relation/.test((error as Error).message)) {
    return 'no-partition';
  }
  const sqlClass = state.slice(0, 2);
  // connection exception, operator intervention (shutdown), system error
  if (sqlClass === '08' || sqlClass === '57' || sqlClass === '58') {
    return state === '57014' ? 'transient' : 'unavailable';
  }
  // data exception, integrity violation, program limit (an index row too big)
  if (sqlClass === '22' || sqlClass === '23' || sqlClass === '54') return 'record';
  return 'transient';
}

/** The five-character SQLSTATE of a server error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || networkCodes.has(code)) return undefined;
  return /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
