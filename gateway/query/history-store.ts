import type { SqlSession } from '../../lib/db';

/**
 * The read side of the stored history: readings, predictions and alerts,
 * newest first, through parameterised SQL only. Written against the
 * minimal `query` interface so that the same statements run on node-postgres
 * and on the embedded TimescaleDB the tests use.
 */
export type Queryable = Pick<SqlSession, 'query'>;

export interface TimeFilter {
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
}

export interface StoredReading {
  readonly ts: Date;
  readonly metrics: Record<string, number>;
  readonly tags: Record<string, string>;
}

/** Whole readings (all metrics of one timestamp), or only those holding one of `metrics`. */
export async function findReadings(
  db: Queryable,
  assetId: string,
  filter: TimeFilter & { readonly metrics?: readonly string[] },
): Promise<StoredReading[]> {
  const { rows } = await db.query<StoredReading>(
    `WITH page AS (
       SELECT m.ts, m.tags FROM reading_meta m
        WHERE m.asset_id = $1 AND m.ts >= $2::timestamptz AND m.ts < $3::timestamptz
          AND ($5::text[] IS NULL OR EXISTS (
                SELECT 1 FROM readings r
                 WHERE r.asset_id = $1 AND r.ts = m.ts AND r.metric = ANY($5::text[])))
        ORDER BY m.ts DESC
        LIMIT $4)
     SELECT p.ts, p.tags,
            COALESCE(jsonb_object_agg(r.metric, r.value) FILTER (WHERE r.metric IS NOT NULL),
                     '{}'::jsonb) AS metrics
       FROM page p
       LEFT JOIN readings r
         ON r.asset_id = $1 AND r.ts = p.ts AND ($5::text[] IS NULL OR r.metric = ANY($5::text[]))
      GROUP BY p.ts, p.tags
      ORDER BY p.ts DESC`,
    [assetId, lower(filter.from), upper(filter.to), filter.limit, filter.metrics ?? null],
  );
  return rows;
}

export interface StoredPrediction {
  readonly pipeline: string;
  readonly model: string;
  readonly modelVersion: string;
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly outputs: Record<string, number>;
  readonly predictedAt: Date;
}

export async function findPredictions(
  db: Queryable,
  assetId: string,
  filter: TimeFilter & { readonly model?: string; readonly pipeline?: string },
): Promise<StoredPrediction[]> {
  const { rows } = await db.query<StoredPrediction>(
    `SELECT pipeline, model, model_version AS "modelVersion", window_start AS "windowStart",
            window_end AS "windowEnd", outputs, predicted_at AS "predictedAt"
       FROM predictions
      WHERE asset_id = $1 AND window_end >= $2::timestamptz AND window_end < $3::timestamptz
        AND ($5::text IS NULL OR model = $5) AND ($6::text IS NULL OR pipeline = $6)
      ORDER BY window_end DESC, model, model_version DESC
      LIMIT $4`,
    [
      assetId,
      lower(filter.from),
      upper(filter.to),
      filter.limit,
      filter.model ?? null,
      filter.pipeline ?? null,
    ],
  );
  return rows;
}

export interface StoredAlert {
  readonly alertId: string;
  readonly assetId: string;
  readonly rule: string;
  readonly pipeline: string;
  readonly severity: string;
  readonly state: string;
  readonly message: string;
  readonly value: number | null;
  readonly openedAt: Date;
  readonly raisedAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly lastEventTime: Date;
  readonly acknowledgement: { at: Date; keyId: string; name: string } | null;
}

export interface AlertFilter {
  readonly assetId?: string;
  readonly state?: string;
  readonly severity?: string;
  /** Alerts still open at, or resolved after, this time. */
  readonly since?: number;
  /** Alerts opened before this time. */
  readonly until?: number;
  readonly limit: number;
}

const ALERT_COLUMNS = `
  alert_id AS "alertId", asset_id AS "assetId", rule, pipeline, severity, state, message,
  value, opened_at AS "openedAt", raised_at AS "raisedAt", resolved_at AS "resolvedAt",
  last_event_time AS "lastEventTime", acked_at, acked_by_key, acked_by_name`;

interface AlertRow extends Omit<StoredAlert, 'acknowledgement'> {
  readonly acked_at: Date | null;
  readonly acked_by_key: string | null;
  readonly acked_by_name: string | null;
}

/** Newest opened first. */
export async function findAlerts(db: Queryable, filter: AlertFilter): Promise<StoredAlert[]> {
  const { rows } = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM alerts
      WHERE ($1::text IS NULL OR asset_id = $1) AND ($2::text IS NULL OR state = $2)
        AND ($3::text IS NULL OR severity = $3)
        AND (resolved_at IS NULL OR resolved_at >= $4::timestamptz)
        AND opened_at < $5::timestamptz
      ORDER BY opened_at DESC, alert_id
      LIMIT $6`,
    [
      filter.assetId ?? null,
      filter.state ?? null,
      filter.severity ?? null,
      lower(filter.since),
      upper(filter.until),
      filter.limit,
    ],
  );
  return rows.map(toAlert);
}

export interface AckResult {
  readonly alert: StoredAlert | undefined;
  /** False when the alert had been acknowledged before; the first acknowledgement stays. */
  readonly first: boolean;
}

/**
 * Records who acknowledged an alert and when. The alert keeps its first
 * acknowledgement; every request, later ones included, is kept in
 * alert_acks. One statement, so concurrent requests cannot both be first.
 */
export async function acknowledgeAlert(
  db: Queryable,
  alertId: string,
  by: { keyId: string; name: string; note?: string },
): Promise<AckResult> {
  const { rows } = await db.query<{ first: boolean }>(
    `WITH target AS (
       SELECT alert_id, acked_at FROM alerts WHERE alert_id = $1 FOR UPDATE),
     updated AS (
       UPDATE alerts a SET acked_at = now(), acked_by_key = $2, acked_by_name = $3
         FROM target t
        WHERE a.alert_id = t.alert_id AND t.acked_at IS NULL
       RETURNING a.alert_id),
     history AS (
       INSERT INTO alert_acks (alert_id, key_id, key_name, note)
       SELECT alert_id, $2, $3, $4 FROM target)
     SELECT EXISTS (SELECT 1 FROM updated) AS first FROM target`,
    [alertId, by.keyId, by.name, by.note ?? null],
  );
  if (rows.length === 0) return { alert: undefined, first: false };
  const read = await db.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE alert_id = $1`, [
    alertId,
  ]);
  return { alert: read.rows[0] && toAlert(read.rows[0]), first: rows[0]!.first };
}

/** Whether anything at all is stored for the asset. */
export async function assetKnown(db: Queryable, assetId: string): Promise<boolean> {
  const { rows } = await db.query<{ known: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM reading_meta WHERE asset_id = $1)
         OR EXISTS (SELECT 1 FROM predictions WHERE asset_id = $1)
         OR EXISTS (SELECT 1 FROM alerts WHERE asset_id = $1) AS known`,
    [assetId],
  );
  return rows[0]?.known === true;
}

function toAlert(row: AlertRow): StoredAlert {
  const { acked_at, acked_by_key, acked_by_name, ...alert } = row;
  const acknowledgement =
    acked_at && acked_by_key
      ? { at: acked_at, keyId: acked_by_key, name: acked_by_name ?? '' }
      : null;
  return { ...alert, acknowledgement };
}

/** Bounds as text, so that an open end is PostgreSQL's infinity. */
export function lower(ms: number | undefined): string {
  return ms === undefined ? '-infinity' : new Date(ms).toISOString();
}

export function upper(ms: number | undefined): string {
  return ms === undefined ? 'infinity' : new Date(ms).toISOString();
}
