import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether something accepts TCP connections on host:port. */
export function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Who listens on a local TCP port, as `ss` reports it, for error messages. */
export function portHolder(port: number): string {
  try {
    const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const users = /users:\(\((.*)\)\)/.exec(out)?.[1];
    return users ? users.replace(/"/g, '') : 'an unknown process';
  } catch {
    return 'an unknown process';
  }
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Stops waiting early, for example when the server process has exited. */
  readonly abortIf?: () => string | undefined;
}

/** Polls `check` until it returns a value; throws with the last error otherwise. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    const abort = options.abortIf?.();
    if (abort) throw new Error(`${what}: ${abort}`);
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`${what} did not answer within ${options.timeoutMs / 1000} s${reason}`);
    }
    await sleep(options.intervalMs ?? 500);
  }
}

export function isLocalHost(host: string): boolean {
  return ['localhost', '127.0.0.1', '::1', '[::1]'].includes(host);
}
