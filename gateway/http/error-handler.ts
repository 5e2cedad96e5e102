import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { SmpError, errorCodes, type ErrorCode } from '../../lib/errors';
import type { Logger } from '../../lib/log';
import './request-context';

/** The contract's error body: never a stack trace, never SQL. */
export interface ErrorBody {
  readonly error: { code: ErrorCode; message: string; details: readonly unknown[] };
  readonly correlationId: string;
}

export function sendError(res: Response, correlationId: string, error: SmpError): void {
  if (error.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  }
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, details: error.details },
    correlationId,
  };
  res.status(error.status).json(body);
}

export function notFound(): RequestHandler {
  return (req) => {
    throw new SmpError('SMP_NOT_FOUND', `no route ${req.method} ${req.path}`);
  };
}

/**
 * Turns anything thrown into the contract's error body. Errors of the body
 * parsers carry a `type`; everything unrecognised becomes a 500 whose detail
 * stays in the log, tied to the response by the correlation id.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const smpError = toSmpError(error);
    // Only the unexpected gets a line of its own, with its stack. A 503 is
    // an expected state (Kafka or the registry away); its access log line
    // carries the code, and the component that saw the outage logs it once,
    // so an outage under load does not flood the log.
    if (smpError.status === 500) {
      logger.error(
        { err: error, correlationId: req.correlationId, code: smpError.code },
        'request failed',
      );
    }
    req.audit.outcome = smpError.code;
    sendError(res, req.correlationId, smpError);
  };
}

function toSmpError(error: unknown): SmpError {
  if (error instanceof SmpError) return error;
  const parserError = error as { type?: string; status?: number; limit?: number; message?: string };
  switch (parserError.type) {
    case 'entity.too.large':
      return new SmpError(
        'SMP_BODY_TOO_LARGE',
        `the body is larger than the limit of ${parserError.limit} bytes; send smaller batches`,
      );
    case 'entity.parse.failed':
      return new SmpError(
        'SMP_MALFORMED_BODY',
        `the body is not valid JSON: ${parserError.message}`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new SmpError(
        'SMP_UNSUPPORTED_MEDIA_TYPE',
        parserError.message ?? 'unsupported encoding',
      );
    case 'request.aborted':
      return new SmpError('SMP_BAD_REQUEST', 'the client aborted the request');
    case 'entity.verify.failed':
    case 'request.size.invalid':
      return new SmpError('SMP_BAD_REQUEST', parserError.message ?? 'invalid request body');
  }
  if (parserError.status && parserError.status >= 400 && parserError.status < 500) {
    return new SmpError('SMP_BAD_REQUEST', 'the request could not be read');
  }
  return new SmpError(
    'SMP_INTERNAL',
    'internal error; the correlation id identifies it in the logs',
  );
}

/** Every code's status, for documentation and the error-registry test. */
export function statusOf(code: ErrorCode): number {
  return errorCodes[code].status;
}
