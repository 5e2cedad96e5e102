import express, { type Express, type RequestHandler } from 'express';
import { SmpError } from '../../lib/errors';
import { readRoute } from './database-errors';
import {
  acknowledgeAlert,
  findAlerts,
  findPredictions,
  findReadings,
  type Queryable,
} from './history-store';
import {
  checkRange,
  choiceParam,
  limitParam,
  listParam,
  pathId,
  queryParams,
  textParam,
  timeParam,
} from './query-params';

const MAX_LIMIT = 10_000;
const DEFAULT_LIMIT = 1000;

/** Readings, predictions and alerts, newest first; acknowledging an alert. */
export function mountHistoryRoutes(app: Express, db: Queryable, guard: RequestHandler[]): void {
  app.get(
    '/v1/assets/:assetId/readings',
    ...guard,
    readRoute(async (req, res) => {
      const assetId = pathId(req, 'assetId');
      const params = queryParams(req, ['from', 'to', 'limit', 'metrics']);
      const from = timeParam(params, 'from');
      const to = timeParam(params, 'to');
      checkRange(from, to);
      const limit = limitParam(params, DEFAULT_LIMIT, MAX_LIMIT);
      const metrics = listParam(params, 'metrics', 100);
      const rows = await findReadings(db, assetId, { from, to, limit, metrics });
      req.audit.count = rows.length;
      // Timestamps are unique per asset, so `to` at the oldest one returned
      // continues exactly where this page ends.
      const oldest = rows.length === limit ? rows[rows.length - 1]!.ts : undefined;
      res.json({
        assetId,
        count: rows.length,
        readings: rows.map((r) => ({ ts: r.ts.toISOString(), metrics: r.metrics, tags: r.tags })),
        next: oldest ? nextPage(req.path, { ...params, to: oldest.toISOString() }) : null,
      });
    }),
  );

  app.get(
    '/v1/assets/:assetId/predictions',
    ...guard,
    readRoute(async (req, res) => {
      const assetId = pathId(req, 'assetId');
      const params = queryParams(req, ['model', 'pipeline', 'from', 'to', 'limit']);
      const from = timeParam(params, 'from');
      const to = timeParam(params, 'to');
      checkRange(from, to);
      const limit = limitParam(params, DEFAULT_LIMIT, MAX_LIMIT);
      const model = textParam(params, 'model');
      const pipeline = textParam(params, 'pipeline');
      const rows = await findPredictions(db, assetId, { from, to, limit, model, pipeline });
      req.audit.count = rows.length;
      res.json({
        assetId,
        count: rows.length,
        truncated: rows.length === limit,
        predictions: rows,
      });
    }),
  );

  app.get(
    '/v1/alerts',
    ...guard,
    readRoute(async (req, res) => {
      const params = queryParams(req, ['assetId', 'state', 'severity', 'since', 'until', 'limit']);
      const since = timeParam(params, 'since');
      const until = timeParam(params, 'until');
      checkRange(since, until);
      const rows = await findAlerts(db, {
        assetId: textParam(params, 'assetId'),
        state: choiceParam(params, 'state', ['RAISED', 'RESOLVED', 'UNKNOWN']),
        severity: choiceParam(params, 'severity', ['INFO', 'WARNING', 'CRITICAL', 'UNKNOWN']),
        since,
        until,
        limit: limitParam(params, DEFAULT_LIMIT, MAX_LIMIT),
      });
      req.audit.count = rows.length;
      res.json({ count: rows.length, alerts: rows });
    }),
  );

  app.post(
    '/v1/alerts/:alertId/ack',
    ...guard,
    express.json({ limit: '4kb', strict: true }),
    readRoute(async (req, res) => {
      const alertId = pathId(req, 'alertId');
      queryParams(req, []);
      const note = ackNote(req.body);
      const principal = req.principal!;
      const result = await acknowledgeAlert(db, alertId, {
        keyId: principal.id,
        name: principal.name,
        note,
      });
      if (!result.alert) throw new SmpError('SMP_NOT_FOUND', `no alert ${JSON.stringify(alertId)}`);
      req.audit.count = 1;
      res.json({ alert: result.alert, alreadyAcknowledged: !result.first });
    }),
  );
}

/** The optional body `{"note": "..."}`. */
function ackNote(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new SmpError('SMP_BAD_REQUEST', 'the body must be a JSON object such as {"note":"..."}');
  }
  const { note, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) {
    throw new SmpError(
      'SMP_BAD_REQUEST',
      `unknown property ${JSON.stringify(unknown)}; only note is accepted`,
    );
  }
  if (note === undefined) return undefined;
  if (typeof note !== 'string' || note.length > 1000 || note.includes('\u0000')) {
    throw new SmpError('SMP_BAD_REQUEST', 'note must be a string of at most 1000 characters');
  }
  return note;
}

function nextPage(path: string, params: Record<string, string>): string {
  return `${path}?${new URLSearchParams(params).toString()}`;
}
