import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { PipelineDefinition } from '../../../pipelines';
import { readingProblem } from '../reading-rules';
import { FeatureEngine } from '../window/feature-engine';
import type { ClosedWindow, EngineListener, LateEvent } from '../window/types';
import { InputError } from './input-line';
import { fileLines, lineParser, type InputOptions } from './input-formats';
import { csvWriter, ndjsonWriter } from './vector-writers';

/**
 * The offline mode: the stream's window code over a file, in file order,
 * with no wall clock. At the end of the input every open window closes as
 * if its asset had gone quiet (close reason IDLE), which is what the stream
 * does once the idle timeout passes; so the same readings give the same
 * feature vectors offline and in the stream.
 */
export interface OfflineOptions extends InputOptions {
  readonly pipeline: PipelineDefinition;
  readonly input: string;
  /** Output file; `-` for standard output. */
  readonly out: string;
  readonly outFormat?: 'ndjson' | 'csv';
  /** Where late readings go (NDJSON); counted only when absent. */
  readonly lateOut?: string;
  /** Report invalid lines and go on, instead of stopping at the first. */
  readonly skipInvalid?: boolean;
  readonly onInvalid?: (error: InputError) => void;
}

export interface OfflineSummary {
  readings: number;
  vectors: number;
  late: number;
  duplicates: number;
  invalid: number;
  /** Readings whose asset the pipeline does not select. */
  unrouted: number;
}

export async function runOffline(options: OfflineOptions): Promise<OfflineSummary> {
  const summary: OfflineSummary = {
    readings: 0,
    vectors: 0,
    late: 0,
    duplicates: 0,
    invalid: 0,
    unrouted: 0,
  };
  const writer = options.outFormat === 'csv' ? csvWriter(options.pipeline) : ndjsonWriter();
  const out = openOutput(options.out);
  const late = options.lateOut ? openOutput(options.lateOut) : undefined;
  const pending: string[] = [];
  const pendingLate: string[] = [];
  const header = writer.header();
  if (header) pending.push(header);

  const listener: EngineListener = {
    window: (w: ClosedWindow) => {
      summary.vectors++;
      pending.push(writer.line(w));
    },
    late: (event: LateEvent) => {
      summary.late++;
      if (late) pendingLate.push(JSON.stringify(event));
    },
    duplicate: () => summary.duplicates++,
  };

  const engine = new FeatureEngine([options.pipeline], { now: () => 0 });
  const parse = lineParser(options.input, options);
  for await (const line of fileLines(options.input)) {
    let reading;
    try {
      reading = parse(line);
      const problem = reading && readingProblem(reading);
      if (problem) throw new InputError(line, problem);
    } catch (error) {
      if (!(error instanceof InputError) || !options.skipInvalid) throw error;
      summary.invalid++;
      options.onInvalid?.(error);
      continue;
    }
    if (!reading) continue;
    summary.readings++;
    if (engine.process(reading, 0, line.line, listener) === 0) summary.unrouted++;
    if (pending.length >= 1000) await flush(out, pending);
    if (late && pendingLate.length >= 1000) await flush(late, pendingLate);
  }
  engine.closeAll(listener);
  await flush(out, pending);
  if (late) await flush(late, pendingLate);
  await Promise.all([close(out), late && close(late)]);
  return summary;
}

function openOutput(file: string): NodeJS.WritableStream {
  return file === '-' ? process.stdout : createWriteStream(file);
}

async function flush(out: NodeJS.WritableStream, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const ok = out.write(`${lines.join('\n')}\n`);
  lines.length = 0;
  if (!ok) await once(out, 'drain');
}

async function close(out: NodeJS.WritableStream): Promise<void> {
  if (out === process.stdout) return;
  const stream = out as WriteStream;
  stream.end();
  await once(stream, 'finish');
}
