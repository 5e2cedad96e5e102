import { isUtf8 } from 'node:buffer';
import { SmpError } from '../../lib/errors';

export type BodyFormat = 'json' | 'ndjson';

/** The readings of a request, not yet validated. */
export interface ParsedBody {
  readonly items: readonly unknown[];
  /** For NDJSON: the 1-based line of each item, so problems can name it. */
  readonly lines?: readonly number[];
}

const JSON_TYPES = new Set(['application/json']);
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson']);
const ACCEPTED = 'application/json or application/x-ndjson (UTF-8)';

/** The body format a Content-Type header announces, or 415. */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  if (!contentType) {
    throw unsupported(`send a Content-Type header: ${ACCEPTED}`);
  }
  const [type = '', ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  for (const param of params) {
    const [name, value = ''] = param.split('=').map((p) => p.trim());
    if (name === 'charset' && value.replace(/"/g, '') !== 'utf-8') {
      throw unsupported(`charset ${value} is not accepted; send UTF-8`);
    }
  }
  if (JSON_TYPES.has(type)) return 'json';
  if (NDJSON_TYPES.has(type)) return 'ndjson';
  throw unsupported(`content type ${JSON.stringify(type)} is not accepted; send ${ACCEPTED}`);
}

/**
 * The readings in a body: `{"readings":[...]}`, a bare JSON array, or one
 * reading per line (NDJSON, blank lines skipped). Anything else is
 * SMP_MALFORMED_BODY, which says where the body stopped making sense.
 */
export function parseReadingsBody(body: Buffer, format: BodyFormat): ParsedBody {
  if (!isUtf8(body)) throw new SmpError('SMP_MALFORMED_BODY', 'the body is not valid UTF-8');
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  const text = body.toString('utf8', start);
  return format === 'json' ? parseJson(text) : parseNdjson(text);
}

function parseJson(text: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SmpError('SMP_MALFORMED_BODY', `the body is not valid JSON: ${reason(error)}`);
  }
  if (Array.isArray(value)) return { items: value };
  if (typeof value === 'object' && value !== null) {
    const envelope = value as Record<string, unknown>;
    const extra = Object.keys(envelope).filter((k) => k !== 'readings');
    if (Array.isArray(envelope.readings) && extra.length === 0) {
      return { items: envelope.readings };
    }
    if (extra.length > 0 && envelope.readings !== undefined) {
      throw new SmpError(
        'SMP_MALFORMED_BODY',
        `unexpected field ${JSON.stringify(extra[0])}; the body holds only "readings"`,
      );
    }
  }
  throw new SmpError(
    'SMP_MALFORMED_BODY',
    'expected {"readings":[...]} or a JSON array of readings' +
      (typeof value === 'object' && value !== null && !Array.isArray(value)
        ? '; a single reading must be wrapped in an array'
        : ''),
  );
}

const MAX_LINE_PROBLEMS = 20;

function parseNdjson(text: string): ParsedBody {
  const items: unknown[] = [];
  const lines: number[] = [];
  const problems: { line: number; message: string }[] = [];
  let badLines = 0;
  let start = 0;
  let line = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.trim() === '') continue;
    try {
      items.push(JSON.parse(raw));
      lines.push(line);
    } catch (error) {
      badLines++;
      if (problems.length < MAX_LINE_PROBLEMS) problems.push({ line, message: reason(error) });
    }
  }
  if (badLines > 0) {
    const first = problems[0]!;
    throw new SmpError(
      'SMP_MALFORMED_BODY',
      `${badLines} line(s) are not valid JSON; the first is line ${first.line}: ${first.message}`,
      { details: problems },
    );
  }
  return { items, lines };
}

function reason(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  return message.length > 200 ? `${message.slice(0, 197)}...` : message;
}

function unsupported(message: string): SmpError {
  return new SmpError('SMP_UNSUPPORTED_MEDIA_TYPE', message);
}
