import type { RouteMount } from '../app';
import { authenticate, requireScope } from '../auth';
import { mountHistoryRoutes } from './history-routes';
import type { Queryable } from './history-store';
import { mountReportRoute } from './report-route';

/**
 * The query half of the HTTP API, on the gateway next to ingestion: stored
 * readings, predictions and alerts, acknowledgements and asset reports.
 * Every route needs a key with the `reports:generate` scope.
 */
export function queryRoutes(db: Queryable): RouteMount {
  return (app, { keyStore }) => {
    const guard = [authenticate(keyStore), requireScope('reports:generate')];
    mountHistoryRoutes(app, db, guard);
    mountReportRoute(app, db, guard);
  };
}

export type { Queryable } from './history-store';
