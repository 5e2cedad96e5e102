import type { Express, RequestHandler } from 'express';
import { SmpError } from '../../lib/errors';
import { HTML_PAGE_POLICY } from '../http/security-headers';
import { buildAssetReport } from './asset-report';
import { readRoute } from './database-errors';
import type { Queryable } from './history-store';
import { checkRange, choiceParam, pathId, queryParams, timeParam } from './query-params';
import { renderReportPage } from './report-page';

/** `GET /v1/reports/assets/{assetId}`: JSON by default, `format=html` for the page. */
export function mountReportRoute(app: Express, db: Queryable, guard: RequestHandler[]): void {
  app.get(
    '/v1/reports/assets/:assetId',
    ...guard,
    readRoute(async (req, res) => {
      const assetId = pathId(req, 'assetId');
      const params = queryParams(req, ['from', 'to', 'format']);
      const from = timeParam(params, 'from');
      const to = timeParam(params, 'to');
      checkRange(from, to);
      const format = choiceParam(params, 'format', ['json', 'html']) ?? 'json';

      const report = await buildAssetReport(db, assetId, { from, to });
      if (!report) {
        throw new SmpError(
          'SMP_NOT_FOUND',
          `nothing is stored for asset ${JSON.stringify(assetId)}`,
        );
      }
      if (report.from.getTime() >= report.to.getTime()) {
        throw new SmpError(
          'SMP_BAD_REQUEST',
          'from must be earlier than to, which defaults to just after the newest stored data',
          { details: [{ parameter: 'from', message: 'must be earlier than to' }] },
        );
      }
      req.audit.count = report.readings.values;
      if (format === 'html') {
        res.setHeader('Content-Security-Policy', HTML_PAGE_POLICY);
        res.type('html').send(renderReportPage(report));
      } else {
        res.json(report);
      }
    }),
  );
}
