import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Latencies, type LatencySummary } from './latencies';

/** How to reach the gateway and how hard to push. */
export interface LoadSettings {
  /** The gateway's base URL, such as http://localhost:8080. */
  readonly url: string;
  readonly apiKey: string;
  /** Target readings per second; 0 sends as fast as the gateway answers. */
  readonly ratePerSecond?: number;
  /** Requests in flight at once (4). */
  readonly concurrency?: number;
  /** Retries of a batch answered 429 or 503, after its Retry-After (3). */
  readonly maxRetries?: number;
  readonly requestTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called every `progressIntervalMs` (5 s) with the numbers so far. */
  readonly onProgress?: (report: LoadReport) => void;
  readonly progressIntervalMs?: number;
}

export interface LoadOptions<T> extends LoadSettings {
  readonly batches: Iterable<readonly T[]>;
  readonly format?: 'json' | 'ndjson';
}

/** A request body made in advance, and how many readings it holds. */
export interface PreparedBatch {
  readonly body: Buffer;
  readonly count: number;
}

export interface PreparedLoadOptions extends LoadSettings {
  readonly requests: Iterable<PreparedBatch>;
  readonly contentType: string;
}

export interface LoadReport {
  readonly requests: number;
  readonly readingsSent: number;
  readonly readingsAccepted: number;
  /** Readings of batches that finally failed, by HTTP status ("network" for no answer). */
  readonly failedByStatus: Readonly<Record<string, number>>;
  /** One error message per status, to show what went wrong. */
  readonly sampleErrors: Readonly<Record<string, string>>;
  readonly retries: number;
  readonly elapsedMs: number;
  /** Accepted readings per second over the run. */
  readonly achievedRate: number;
  readonly latency: LatencySummary;
}

/**
 * Sends batches to `POST /v1/readings` over keep-alive connections, paced
 * to a target rate, as a well-behaved producer does: a batch answered 429
 * or 503 is sent again after its Retry-After, a few times at most.
 */
export function runLoad<T>(options: LoadOptions<T>): Promise<LoadReport> {
  const format = options.format ?? 'json';
  return runPreparedLoad({
    ...options,
    requests: prepared(options.batches, format),
    contentType: format === 'ndjson' ? 'application/x-ndjson' : 'application/json',
  });
}

/** The same with bodies serialised in advance, so the client costs little CPU (benchmarks). */
export function runPreparedLoad(options: PreparedLoadOptions): Promise<LoadReport> {
  return new LoadRun(options).execute();
}

function* prepared<T>(
  batches: Iterable<readonly T[]>,
  format: 'json' | 'ndjson',
): Generator<PreparedBatch> {
  for (const batch of batches) yield { body: serialise(batch, format), count: batch.length };
}

interface Answer {
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  readonly body: string;
}

class LoadRun {
  private readonly agent: http.Agent;
  private readonly endpoint: URL;
  private readonly iterator: Iterator<PreparedBatch>;
  private readonly latencies = new Latencies();
  private readonly failed: Record<string, number> = {};
  private readonly samples: Record<string, string> = {};
  private requests = 0;
  private sent = 0;
  private accepted = 0;
  private retries = 0;
  private scheduled = 0;
  private startedAt = 0;

  constructor(private readonly options: PreparedLoadOptions) {
    const concurrency = options.concurrency ?? 4;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    this.endpoint = new URL('/v1/readings', options.url);
    this.iterator = options.requests[Symbol.iterator]();
  }

  async execute(): Promise<LoadReport> {
    this.startedAt = performance.now();
    const timer = this.options.onProgress
      ? setInterval(
          () => this.options.onProgress!(this.report()),
          this.options.progressIntervalMs ?? 5_000,
        )
      : undefined;
    try {
      const workers = Array.from({ length: this.options.concurrency ?? 4 }, () => this.worker());
      await Promise.all(workers);
    } finally {
      if (timer) clearInterval(timer);
      this.agent.destroy();
    }
    return this.report();
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.options.signal?.aborted) return;
      const next = this.iterator.next();
      if (next.done) return;
      await this.pace(next.value.count);
      await this.deliver(next.value);
    }
  }

  /** Waits for the batch's slot in the schedule the target rate sets. */
  private async pace(count: number): Promise<void> {
    const rate = this.options.ratePerSecond ?? 0;
    if (rate <= 0) return;
    const due = this.startedAt + (this.scheduled / rate) * 1000;
    this.scheduled += count;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }

  private async deliver(batch: PreparedBatch): Promise<void> {
    this.sent += batch.count;
    for (let attempt = 0; ; attempt++) {
      const began = performance.now();
      let answer: Answer;
      try {
        answer = await this.post(batch.body);
      } catch (error) {
        this.fail('network', batch.count, (error as Error).message);
        return;
      } finally {
        this.requests++;
        this.latencies.add(performance.now() - began);
      }
      if (answer.status === 202) {
        this.accepted += batch.count;
        return;
      }
      const retryable = answer.status === 429 || answer.status === 503;
      if (!retryable || attempt >= (this.options.maxRetries ?? 3) || this.options.signal?.aborted) {
        this.fail(String(answer.status), batch.count, answer.body);
        return;
      }
      this.retries++;
      await sleep((answer.retryAfterSeconds ?? 1) * 1000);
    }
  }

  private post(body: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        this.endpoint,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.options.requestTimeoutMs ?? 30_000,
          headers: {
            'content-type': this.options.contentType,
            'content-length': body.length,
            'x-api-key': this.options.apiKey,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const retryAfter = Number(response.headers['retry-after']);
            resolve({
              status: response.statusCode ?? 0,
              retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error('request timed out')));
      request.on('error', reject);
      request.end(body);
    });
  }

  private fail(status: string, readings: number, message: string): void {
    this.failed[status] = (this.failed[status] ?? 0) + readings;
    this.samples[status] ??= message.slice(0, 500);
  }

  private report(): LoadReport {
    const elapsedMs = performance.now() - this.startedAt;
    return {
      requests: this.requests,
      readingsSent: this.sent,
      readingsAccepted: this.accepted,
      failedByStatus: { ...this.failed },
      sampleErrors: { ...this.samples },
      retries: this.retries,
      elapsedMs,
      achievedRate: elapsedMs > 0 ? (this.accepted / elapsedMs) * 1000 : 0,
      latency: this.latencies.summary(),
    };
  }
}

function serialise<T>(batch: readonly T[], format: 'json' | 'ndjson'): Buffer {
  if (format === 'ndjson') return Buffer.from(batch.map((r) => JSON.stringify(r)).join('\n'));
  return Buffer.from(JSON.stringify({ readings: batch }));
}
