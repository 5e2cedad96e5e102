import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import './request-context';

export const CORRELATION_HEADER = 'x-correlation-id';

// Printable and short: the id lands in logs and Kafka headers, so a client
// must not be able to smuggle line breaks or megabytes through it.
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Accepts the caller's correlation id when it is sane, makes one otherwise, and echoes it. */
export function correlationId(): RequestHandler {
  return (req, res, next) => {
    const offered = req.get(CORRELATION_HEADER);
    req.correlationId = offered && ACCEPTABLE.test(offered) ? offered : randomUUID();
    req.audit = {};
    res.setHeader('X-Correlation-ID', req.correlationId);
    next();
  };
}
