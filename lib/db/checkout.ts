import type { Pool, PoolClient } from 'pg';

/**
 * Takes a connection from the pool for work that spans several queries (a
 * transaction, a COPY, a session lock) and gives it back when `fn` ends.
 *
 * A connection that drops while checked out makes pg emit 'error' on the
 * client; unheard, that event would crash the process. The work in progress
 * fails on its own (the running or next query rejects), which is where the
 * caller handles it, so the event itself only marks the connection broken.
 * A broken connection, or one whose work failed (perhaps half-way through a
 * COPY), is destroyed instead of returned to the pool.
 */
export async function withClient<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await fn(client);
  } catch (error) {
    broken ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
