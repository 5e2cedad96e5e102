/**
 * Readiness: whether a process can do its work right now (its servers
 * answer, it is not paused by an outage). `/readyz` reports it; load
 * balancers and orchestrators route around a process that is not ready.
 */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when healthy; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Record<string, 'ok' | string>;
}

export async function evaluateReadiness(
  checks: readonly ReadinessCheck[],
  timeoutMs = 2_000,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        await withTimeout(c.check(), timeoutMs, `${c.name} did not answer within ${timeoutMs} ms`);
        return [c.name, 'ok'] as const;
      } catch (error) {
        return [c.name, (error as Error).message || 'failed'] as const;
      }
    }),
  );
  return {
    ready: results.every(([, r]) => r === 'ok'),
    checks: Object.fromEntries(results),
  };
}

/** A check that a stage flips itself, for example while it waits out an outage. */
export class ReadinessFlag implements ReadinessCheck {
  private reason: string | undefined;

  constructor(readonly name: string) {}

  fail(reason: string): void {
    this.reason = reason;
  }

  clear(): void {
    this.reason = undefined;
  }

  async check(): Promise<void> {
    if (this.reason !== undefined) throw new Error(this.reason);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
