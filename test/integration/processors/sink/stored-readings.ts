import type { Pool } from 'pg';
import type { ReadingRecord } from '../../../../processors/sink';

/** Readings as stored, rebuilt from the narrow rows and their meta rows. */
export async function storedReadings(pool: Pool, assets: string[]): Promise<ReadingRecord[]> {
  const { rows } = await pool.query(
    `SELECT m.asset_id, m.ts, m.tags, m.received_at,
            jsonb_object_agg(r.metric, r.value) FILTER (WHERE r.metric IS NOT NULL) AS metrics
       FROM reading_meta m LEFT JOIN readings r ON r.asset_id = m.asset_id AND r.ts = m.ts
      WHERE m.asset_id = ANY($1)
      GROUP BY m.asset_id, m.ts, m.tags, m.received_at`,
    [assets],
  );
  return sortReadings(
    rows.map((r) => ({
      assetId: r.asset_id,
      ts: r.ts.getTime(),
      metrics: r.metrics ?? {},
      tags: r.tags,
      receivedAt: r.received_at ? r.received_at.getTime() : null,
    })),
  );
}

export function sortReadings(readings: readonly ReadingRecord[]): ReadingRecord[] {
  return [...readings].sort((a, b) => a.assetId.localeCompare(b.assetId) || a.ts - b.ts);
}
