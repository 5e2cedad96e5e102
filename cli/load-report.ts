import type { LoadReport } from '../lib/simulator';

/** One line of progress while readings are being sent. */
export function progressLine(r: LoadReport): string {
  return (
    `${(r.elapsedMs / 1000).toFixed(0)} s: ${r.readingsAccepted} accepted, ` +
    `${Math.round(r.achievedRate)} readings/s, p99 ${r.latency.p99Ms.toFixed(1)} ms`
  );
}

/** What a client command (`smp simulate`, `smp replay`) tells at the end. */
export function printReport(report: LoadReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(report));
    return;
  }
  const failed = Object.entries(report.failedByStatus);
  console.log(
    [
      `sent      ${report.readingsSent} readings in ${report.requests} requests ` +
        `over ${(report.elapsedMs / 1000).toFixed(1)} s`,
      `accepted  ${report.readingsAccepted} (${Math.round(report.achievedRate)} readings/s)`,
      `latency   p50 ${report.latency.p50Ms.toFixed(1)} ms, p99 ${report.latency.p99Ms.toFixed(1)} ms, ` +
        `max ${report.latency.maxMs.toFixed(1)} ms`,
      `retries   ${report.retries}`,
      `failed    ${failed.length === 0 ? 'none' : failed.map(([s, n]) => `${n} with ${s}`).join(', ')}`,
      ...Object.entries(report.sampleErrors).map(([s, m]) => `  ${s}: ${m}`),
    ].join('\n'),
  );
}

/** Whether more readings failed than the share a command tolerates. */
export function tooManyFailed(report: LoadReport, maxErrorShare: number): boolean {
  const failed = report.readingsSent - report.readingsAccepted;
  return report.readingsSent === 0 || failed > maxErrorShare * report.readingsSent;
}
