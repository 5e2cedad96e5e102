import { spawn } from 'node:child_process';
import path from 'node:path';
import { javaBinary } from '../infra/stack';

export interface JavaProducerResult {
  readonly records: number;
  readonly recordsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly summary: string;
}

export interface JavaProducerOptions {
  readonly libsDir: string;
  readonly bootstrap: string;
  readonly topic: string;
  readonly records: number;
  readonly recordSize: number;
}

/**
 * Kafka's own `kafka-producer-perf-test` (ProducerPerformance) from the
 * stack's jars, with the durability the gateway has: acks=all and
 * idempotence, as fast as it can go.
 */
export function runJavaProducerPerf(options: JavaProducerOptions): Promise<JavaProducerResult> {
  const args = [
    '-Xmx512m',
    '-cp',
    `${path.join(options.libsDir, '*')}`,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    options.topic,
    '--num-records',
    String(options.records),
    '--record-size',
    String(options.recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${options.bootstrap}`,
    'acks=all',
    'enable.idempotence=true',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(javaBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = parseSummary(output);
      if (code === 0 && result) resolve(result);
      else reject(new Error(`ProducerPerformance exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
}

// "200000 records sent, 73152.9 records/sec (8.37 MB/sec), 398.59 ms avg latency,
//  626.00 ms max latency, 443 ms 50th, 572 ms 95th, 591 ms 99th, 618 ms 99.9th."
const SUMMARY =
  /(\d+) records sent, ([\d.]+) records\/sec .*?, ([\d.]+) ms 50th, [\d.]+ ms 95th, ([\d.]+) ms 99th/;

export function parseSummary(output: string): JavaProducerResult | undefined {
  const line = output
    .split('\n')
    .reverse()
    .find((l) => SUMMARY.test(l));
  const match = line && SUMMARY.exec(line);
  if (!match) return undefined;
  return {
    records: Number(match[1]),
    recordsPerSecond: Number(match[2]),
    p50Ms: Number(match[3]),
    p99Ms: Number(match[4]),
    summary: line.trim(),
  };
}
