import type { SqlSession } from '../../lib/db';

/**
 * A known history for one asset, written with plain SQL so that the query
 * side can be checked against numbers worked out by hand:
 * - 120 readings a minute apart from `start`: temp = 20 + i/2, vib = i % 10,
 *   tags {"site":"a"};
 * - 12 predictions of rul-cmapss ten minutes apart, rul = 200 - i, and 6
 *   of anomaly, score = i / 10;
 * - a CRITICAL alert raised at +10 min and resolved at +30 min, and an open
 *   WARNING raised at +90 min whose message is markup.
 */
export const HISTORY = {
  readings: 120,
  temp: { min: 20, max: 79.5, mean: 49.75, last: 79.5 },
  vib: { min: 0, max: 9, mean: 4.5, last: 9 },
  markup: '<script>alert("x")</script> & more',
};

export async function seedHistory(
  db: Pick<SqlSession, 'query'>,
  assetId: string,
  start: number,
  alertPrefix: string,
): Promise<void> {
  const at = new Date(start).toISOString();
  await db.query(
    `INSERT INTO reading_meta (asset_id, ts, tags, received_at)
     SELECT $1, $2::timestamptz + i * INTERVAL '1 minute', '{"site":"a"}'::jsonb, NULL
       FROM generate_series(0, 119) i`,
    [assetId, at],
  );
  await db.query(
    `INSERT INTO readings (asset_id, ts, metric, value)
     SELECT $1, $2::timestamptz + i * INTERVAL '1 minute', m.metric,
            CASE m.metric WHEN 'temp' THEN 20 + i * 0.5 ELSE i % 10 END
       FROM generate_series(0, 119) i, (VALUES ('temp'), ('vib')) AS m(metric)`,
    [assetId, at],
  );
  await db.query(
    `INSERT INTO predictions (asset_id, pipeline, model, model_version, window_start, window_end,
                              outputs, predicted_at)
     SELECT $1, 'pumps', 'rul-cmapss', '1', $2::timestamptz + i * INTERVAL '10 minutes',
            $2::timestamptz + (i + 1) * INTERVAL '10 minutes',
            jsonb_build_object('rul', 200 - i), $2::timestamptz + (i + 1) * INTERVAL '10 minutes'
       FROM generate_series(0, 11) i
     UNION ALL
     SELECT $1, 'pumps', 'anomaly', '1', $2::timestamptz + i * INTERVAL '10 minutes',
            $2::timestamptz + (i + 1) * INTERVAL '10 minutes',
            jsonb_build_object('score', i / 10.0), $2::timestamptz + (i + 1) * INTERVAL '10 minutes'
       FROM generate_series(0, 5) i`,
    [assetId, at],
  );
  await db.query(
    `INSERT INTO alerts (alert_id, asset_id, rule, pipeline, severity, message, value, state,
                         opened_at, raised_at, resolved_at, last_event_time, last_emitted_at)
     VALUES ($1 || '-resolved', $2, 'temp-high', 'pumps', 'CRITICAL', 'temperature above 60', 61,
             'RESOLVED', $3::timestamptz + INTERVAL '10 minutes', $3::timestamptz + INTERVAL '10 minutes',
             $3::timestamptz + INTERVAL '30 minutes', $3::timestamptz + INTERVAL '30 minutes',
             $3::timestamptz + INTERVAL '30 minutes'),
            ($1 || '-open', $2, 'vib-high', 'pumps', 'WARNING', $4, 9, 'RAISED',
             $3::timestamptz + INTERVAL '90 minutes', $3::timestamptz + INTERVAL '90 minutes', NULL,
             $3::timestamptz + INTERVAL '90 minutes', $3::timestamptz + INTERVAL '90 minutes')`,
    [alertPrefix, assetId, at, HISTORY.markup],
  );
}
