import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line. API keys travel in a header and
 * in the CLI's output only; database passwords hide inside URLs, which
 * `redactUrl` masks before they are logged.
 */
const redactPaths = [
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'headers["x-api-key"]',
  'headers.authorization',
];

export interface LoggerOptions {
  readonly level: string;
  /** The process or stage name, on every line. */
  readonly name: string;
  /** Where lines go; standard output unless a test captures them. */
  readonly destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    name: options.name,
    level: options.level,
    base: { pid: process.pid },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.errWithCause },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A URL with its password replaced, safe to print. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable url>';
  }
}
