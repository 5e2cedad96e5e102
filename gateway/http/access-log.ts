import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../../lib/log';
import { counter, histogram, latencyBuckets } from '../../lib/metrics';
import './request-context';

/**
 * One structured line per request (the access log and the audit line in
 * one: who, which route, how many readings, what came of it) and the HTTP
 * metrics. The route label is the matched pattern, never the raw path, so
 * asset ids do not become label values.
 */
export function accessLog(logger: Logger, registry: Registry): RequestHandler {
  const requests = counter(registry, {
    name: 'smp_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
  });
  const duration = histogram(registry, {
    name: 'smp_http_request_duration_seconds',
    help: 'HTTP request latency from first byte in to last byte out',
    labelNames: ['route', 'method'],
    buckets: latencyBuckets,
  });

  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req);
      requests.inc({ route, method: req.method, status: String(res.statusCode) });
      duration.observe({ route, method: req.method }, seconds);
      const line = {
        correlationId: req.correlationId,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1000 * 10) / 10,
        keyId: req.principal?.id,
        remoteAddress: req.socket.remoteAddress,
        bytesIn: Number(req.get('content-length') ?? 0),
        count: req.audit?.count,
        outcome: req.audit?.outcome ?? (res.statusCode < 400 ? 'ok' : 'error'),
      };
      if (res.statusCode >= 500) logger.warn(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}

function routeOf(req: Parameters<RequestHandler>[0]): string {
  const pattern = (req.route as { path?: string } | undefined)?.path;
  if (pattern) return `${req.baseUrl}${pattern}`;
  return 'unmatched';
}
