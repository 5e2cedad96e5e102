import type { RequestHandler } from 'express';
import { SmpError } from '../../lib/errors';
import { OVERLOAD_RETRY_AFTER_SECONDS } from './readings-sender';

/**
 * Bounds the memory of request bodies being received and parsed, which the
 * sender's in-flight budget (encoded records) does not see. Each request
 * reserves its declared length (or the body limit, when the length is not
 * declared or the body is compressed) until its response is done; one that
 * would overdraw the budget is answered 503 before its body is read.
 */
export function bodyBudget(maxBytes: number, maxBodyBytes: number): RequestHandler {
  let reserved = 0;
  return (req, res, next) => {
    const declared = Number(req.get('content-length'));
    const compressed = (req.get('content-encoding') ?? 'identity') !== 'identity';
    const size =
      Number.isFinite(declared) && declared >= 0 && !compressed
        ? Math.min(declared, maxBodyBytes)
        : maxBodyBytes;
    if (reserved > 0 && reserved + size > maxBytes) {
      throw new SmpError(
        'SMP_OVERLOADED',
        'the gateway is receiving as much data as it may; retry shortly',
        {
          retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS,
        },
      );
    }
    reserved += size;
    res.once('close', () => (reserved -= size));
    next();
  };
}
