import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { SmpError } from '../../lib/errors';
import type { ErrorBody } from './error-handler';

/**
 * Answers what Node's HTTP parser rejects before Express sees a request (a
 * request or its headers arriving too slowly, malformed HTTP, oversized
 * headers) in the contract's error body, then closes the connection.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const inProgress = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
    socket.destroy();
    return;
  }
  const smpError =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new SmpError('SMP_REQUEST_TIMEOUT', 'the request did not arrive in time; send it faster')
      : new SmpError(
          'SMP_BAD_REQUEST',
          `the request is not valid HTTP (${error.code ?? 'parse error'})`,
        );
  const body: ErrorBody = {
    error: { code: smpError.code, message: smpError.message, details: [] },
    correlationId: randomUUID(),
  };
  const text = JSON.stringify(body);
  socket.end(
    [
      `HTTP/1.1 ${smpError.status} ${STATUS_CODES[smpError.status]}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(text)}`,
      `X-Correlation-ID: ${body.correlationId}`,
      'X-Content-Type-Options: nosniff',
      'Cache-Control: no-store',
      'Connection: close',
      '',
      text,
    ].join('\r\n'),
  );
}
