import {
  lower,
  upper,
  type Queryable,
  type StoredAlert,
  type StoredPrediction,
} from './history-store';
import { reportAlerts, reportPredictions, type PredictionSeries } from './report-queries';

/** A point of a metric's chart: the statistics of one time bucket. */
export interface BucketPoint {
  readonly t: Date;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly count: number;
}

export interface MetricSummary {
  readonly metric: string;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly last: { readonly ts: Date; readonly value: number } | null;
  readonly series: readonly BucketPoint[];
}

export interface AssetReport {
  readonly assetId: string;
  readonly from: Date;
  readonly to: Date;
  readonly generatedAt: Date;
  /** Raw readings for short ranges; the hourly statistics beyond a week. */
  readonly source: 'readings' | 'readings_hourly';
  readonly bucketSeconds: number;
  readonly readings: { readonly values: number; readonly metrics: readonly MetricSummary[] };
  readonly predictions: {
    readonly count: number;
    readonly latest: StoredPrediction | null;
    readonly series: readonly PredictionSeries[];
  };
  readonly alerts: {
    readonly total: number;
    readonly open: number;
    readonly bySeverity: Readonly<Record<string, number>>;
    readonly items: readonly StoredAlert[];
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_S = 3600;
/** Buckets per chart: enough detail for a page, few enough rows to read fast. */
const BUCKETS = 240;
const HOURLY_BEYOND_MS = 7 * DAY_MS;

/**
 * Everything a report on one asset shows: per-metric statistics and
 * bucketed series, predictions, and the alerts that were open in the range.
 * `to` defaults to just after the asset's newest reading or prediction (so
 * the report of a replayed or quiet asset is not empty), `from` to a day
 * before `to`, or to the asset's oldest reading of that day when it has
 * less history (a replayed engine's life of minutes fills the charts
 * instead of a corner of them). Undefined when nothing at all is stored
 * for the asset.
 */
export async function buildAssetReport(
  db: Queryable,
  assetId: string,
  range: { readonly from?: number; readonly to?: number },
  now = Date.now(),
): Promise<AssetReport | undefined> {
  const stored = await storedSpan(db, assetId);
  if (stored === undefined) return undefined;
  const to = range.to ?? (stored.newest === null ? now : stored.newest + 1);
  const oldest = range.to === undefined ? stored.oldestOfLastDay : null;
  const from = range.from ?? Math.max(to - DAY_MS, oldest ?? -Infinity);

  const span = to - from;
  const source = span > HOURLY_BEYOND_MS ? 'readings_hourly' : 'readings';
  const unit = source === 'readings' ? 1 : HOUR_S;
  const bucketSeconds = Math.max(unit, Math.ceil(span / 1000 / BUCKETS / unit) * unit);

  const metrics = await metricSeries(db, assetId, from, to, bucketSeconds, source);
  return {
    assetId,
    from: new Date(from),
    to: new Date(to),
    generatedAt: new Date(now),
    source,
    bucketSeconds,
    readings: {
      values: metrics.reduce((sum, m) => sum + m.count, 0),
      metrics,
    },
    predictions: await reportPredictions(db, assetId, from, to, bucketSeconds),
    alerts: await reportAlerts(db, assetId, from, to),
  };
}

interface StoredSpan {
  /** The newest reading or prediction; null when the asset has only alerts. */
  readonly newest: number | null;
  /** The oldest reading within a day of the newest one. */
  readonly oldestOfLastDay: number | null;
}

/** Undefined when the asset is unknown. */
async function storedSpan(db: Queryable, assetId: string): Promise<StoredSpan | undefined> {
  const { rows } = await db.query<{ newest: Date | null; oldest: Date | null; alerts: boolean }>(
    `WITH newest AS (
       SELECT GREATEST((SELECT max(ts) FROM reading_meta WHERE asset_id = $1),
                       (SELECT max(window_end) FROM predictions WHERE asset_id = $1)) AS t
     )
     SELECT newest.t AS newest,
            (SELECT min(ts) FROM reading_meta
              WHERE asset_id = $1 AND ts > newest.t - interval '1 day') AS oldest,
            EXISTS (SELECT 1 FROM alerts WHERE asset_id = $1) AS alerts
       FROM newest`,
    [assetId],
  );
  const row = rows[0];
  if (!row || (row.newest === null && !row.alerts)) return undefined;
  return {
    newest: row.newest?.getTime() ?? null,
    oldestOfLastDay: row.oldest?.getTime() ?? null,
  };
}

async function metricSeries(
  db: Queryable,
  assetId: string,
  from: number,
  to: number,
  bucketSeconds: number,
  source: AssetReport['source'],
): Promise<MetricSummary[]> {
  const sql =
    source === 'readings'
      ? `SELECT metric, date_bin(make_interval(secs => $4), ts, $2::timestamptz) AS t,
                min(value) AS min, max(value) AS max, avg(value) AS mean, count(*)::int AS count
           FROM readings
          WHERE asset_id = $1 AND ts >= $2::timestamptz AND ts < $3::timestamptz
          GROUP BY metric, t ORDER BY metric, t`
      : `SELECT metric, date_bin(make_interval(secs => $4), bucket, $2::timestamptz) AS t,
                min(min_value) AS min, max(max_value) AS max,
                sum(mean_value * samples) / sum(samples) AS mean, sum(samples)::int AS count
           FROM readings_hourly
          WHERE asset_id = $1 AND bucket >= $2::timestamptz AND bucket < $3::timestamptz
          GROUP BY metric, t ORDER BY metric, t`;
  const { rows } = await db.query<BucketPoint & { metric: string }>(sql, [
    assetId,
    lower(from),
    upper(to),
    bucketSeconds,
  ]);

  const byMetric = new Map<string, BucketPoint[]>();
  for (const { metric, ...point } of rows) {
    const series = byMetric.get(metric) ?? [];
    series.push(point);
    byMetric.set(metric, series);
  }
  const lastValues = await lastValuesIn(db, assetId, byMetric, to);
  return [...byMetric].map(([metric, series]) => summarise(metric, series, lastValues.get(metric)));
}

/** The newest value of each metric, read from the raw rows of the metrics' last buckets only. */
async function lastValuesIn(
  db: Queryable,
  assetId: string,
  byMetric: ReadonlyMap<string, readonly BucketPoint[]>,
  to: number,
): Promise<Map<string, { ts: Date; value: number }>> {
  const starts = [...byMetric.values()].map((s) => s[s.length - 1]!.t.getTime());
  if (starts.length === 0) return new Map();
  const { rows } = await db.query<{ metric: string; ts: Date; value: number }>(
    `SELECT DISTINCT ON (metric) metric, ts, value FROM readings
      WHERE asset_id = $1 AND ts >= $2::timestamptz AND ts < $3::timestamptz
      ORDER BY metric, ts DESC`,
    [assetId, lower(Math.min(...starts)), upper(to)],
  );
  return new Map(rows.map((r) => [r.metric, { ts: r.ts, value: r.value }]));
}

function summarise(
  metric: string,
  series: readonly BucketPoint[],
  last: { ts: Date; value: number } | undefined,
): MetricSummary {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const p of series) {
    count += p.count;
    sum += p.mean * p.count;
    min = Math.min(min, p.min);
    max = Math.max(max, p.max);
  }
  return { metric, count, min, max, mean: count > 0 ? sum / count : 0, last: last ?? null, series };
}
