import { parentPort, workerData } from 'node:worker_threads';
import { runPreparedLoad, type PreparedBatch } from '../lib/simulator';

/** What the benchmark hands the load generator thread. */
export interface LoadJob {
  readonly url: string;
  readonly apiKey: string;
  readonly concurrency: number;
  readonly bodies: readonly PreparedBatch[];
}

// The HTTP client runs in a thread of its own so that the gateway's event
// loop, in the main thread, does only the gateway's work. It copies its
// bodies first and starts sending when told, so that the measurement (and
// a CPU profile of the gateway) holds nothing but the load itself.
const job = workerData as LoadJob;
const requests = job.bodies.map((b) => ({ body: Buffer.from(b.body), count: b.count }));
parentPort!.once('message', () => {
  runPreparedLoad({
    url: job.url,
    apiKey: job.apiKey,
    concurrency: job.concurrency,
    contentType: 'application/json',
    maxRetries: 0,
    requests,
  }).then(
    (report) => parentPort!.postMessage({ report }),
    (error: unknown) => parentPort!.postMessage({ error: String(error) }),
  );
});
parentPort!.postMessage({ ready: true });
