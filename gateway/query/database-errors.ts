import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { classifyDatabaseError } from '../../lib/db';
import { SmpError } from '../../lib/errors';

/**
 * A read route's handler whose database failures become the contract's
 * errors: an unreachable database is a 503 with Retry-After, anything else
 * a 500 whose detail stays in the log, never SQL in the response.
 */
export function readRoute(handler: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await handler(req, res);
    } catch (error) {
      if (error instanceof SmpError || classifyDatabaseError(error) !== 'unavailable') {
        next(error);
        return;
      }
      next(
        new SmpError('SMP_DATABASE_UNAVAILABLE', 'the database does not answer; retry later', {
          cause: error,
          retryAfterSeconds: 5,
        }),
      );
    }
  };
}
