import {
  findAlerts,
  lower,
  upper,
  type Queryable,
  type StoredAlert,
  type StoredPrediction,
} from './history-store';

/** One model output over time, averaged per bucket when predictions are dense. */
export interface PredictionSeries {
  readonly model: string;
  readonly output: string;
  readonly points: readonly { readonly t: Date; readonly value: number }[];
}

const MAX_PREDICTION_SERIES = 8;
const MAX_ALERT_ITEMS = 200;

export async function reportPredictions(
  db: Queryable,
  assetId: string,
  from: number,
  to: number,
  bucketSeconds: number,
): Promise<{ count: number; latest: StoredPrediction | null; series: PredictionSeries[] }> {
  const params = [assetId, lower(from), upper(to)];
  const counted = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM predictions
      WHERE asset_id = $1 AND window_end >= $2::timestamptz AND window_end < $3::timestamptz`,
    params,
  );
  const latest = await db.query<StoredPrediction>(
    `SELECT pipeline, model, model_version AS "modelVersion", window_start AS "windowStart",
            window_end AS "windowEnd", outputs, predicted_at AS "predictedAt"
       FROM predictions WHERE asset_id = $1 AND window_end < $2::timestamptz
      ORDER BY window_end DESC, predicted_at DESC LIMIT 1`,
    [assetId, upper(to)],
  );
  const points = await db.query<{ model: string; output: string; t: Date; value: number }>(
    `SELECT p.model, o.key AS output,
            date_bin(make_interval(secs => $4), p.window_end, $2::timestamptz) AS t,
            avg(o.value::float8) AS value
       FROM predictions p, jsonb_each_text(p.outputs) AS o(key, value)
      WHERE p.asset_id = $1 AND p.window_end >= $2::timestamptz AND p.window_end < $3::timestamptz
      GROUP BY p.model, o.key, t
      ORDER BY p.model, o.key, t`,
    [...params, bucketSeconds],
  );

  const series = new Map<string, PredictionSeries & { points: { t: Date; value: number }[] }>();
  for (const { model, output, t, value } of points.rows) {
    const key = `${model}\u0000${output}`;
    if (!series.has(key)) {
      if (series.size >= MAX_PREDICTION_SERIES) continue;
      series.set(key, { model, output, points: [] });
    }
    series.get(key)!.points.push({ t, value });
  }
  return {
    count: counted.rows[0]?.count ?? 0,
    latest: latest.rows[0] ?? null,
    series: [...series.values()],
  };
}

/** The alerts open at some time in [from, to), newest first, with counts. */
export async function reportAlerts(
  db: Queryable,
  assetId: string,
  from: number,
  to: number,
): Promise<{
  total: number;
  open: number;
  bySeverity: Record<string, number>;
  items: StoredAlert[];
}> {
  const { rows } = await db.query<{ severity: string; total: number; open: number }>(
    `SELECT severity, count(*)::int AS total,
            count(*) FILTER (WHERE resolved_at IS NULL)::int AS open
       FROM alerts
      WHERE asset_id = $1 AND opened_at < $3::timestamptz
        AND (resolved_at IS NULL OR resolved_at >= $2::timestamptz)
      GROUP BY severity`,
    [assetId, lower(from), upper(to)],
  );
  const items = await findAlerts(db, { assetId, since: from, until: to, limit: MAX_ALERT_ITEMS });
  return {
    total: rows.reduce((sum, r) => sum + r.total, 0),
    open: rows.reduce((sum, r) => sum + r.open, 0),
    bySeverity: Object.fromEntries(rows.map((r) => [r.severity, r.total])),
    items,
  };
}
