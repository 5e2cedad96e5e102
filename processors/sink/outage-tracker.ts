import type { Logger } from '../../lib/log';
import { messageOf } from '../../lib/errors';
import type { ReadinessCheck } from '../../lib/readiness';

interface Failure {
  readonly since: number;
  readonly reason: string;
}

/**
 * Readiness of the sink's writers: not ready while any writer is retrying
 * a batch it could not store, ready again once every one of them got its
 * batch through. Logs the start and the end of an outage once each,
 * however many batches and retries it spans.
 */
export class OutageTracker implements ReadinessCheck {
  readonly name = 'sink-writes';
  private readonly failing = new Map<string, Failure>();
  private outageStart: number | undefined;

  constructor(private readonly logger: Logger) {}

  failed(writer: string, error: unknown): void {
    const reason = messageOf(error);
    if (!this.failing.has(writer)) this.failing.set(writer, { since: Date.now(), reason });
    if (this.outageStart === undefined) {
      this.outageStart = Date.now();
      this.logger.warn(
        { writer, err: error },
        'cannot store records, retrying; consumption paused',
      );
    }
  }

  succeeded(writer: string): void {
    if (!this.failing.delete(writer) || this.failing.size > 0) return;
    const seconds = (Date.now() - (this.outageStart ?? Date.now())) / 1000;
    this.outageStart = undefined;
    this.logger.info({ seconds }, 'storing records again; consumption resumed');
  }

  async check(): Promise<void> {
    const first = [...this.failing.values()][0];
    if (first) {
      const since = new Date(first.since).toISOString();
      throw new Error(`cannot store records since ${since}: ${first.reason}`);
    }
  }
}
