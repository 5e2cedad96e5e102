-- Readings in the narrow layout: one row per metric value. Assets report
-- different metric sets (a pump's temperature and vibration, an engine's
-- 21 sensors), so a column per metric would be mostly empty and would need
-- a schema change for every new sensor. Per-metric rows keep one plain
-- double column that indexes and aggregates by metric.
--
-- Without TimescaleDB the tables are partitioned by time range; partitions
-- are created ahead and dropped for retention by the storage maintenance.
CREATE TABLE readings (
  asset_id text NOT NULL,
  ts       timestamptz NOT NULL,
  metric   text NOT NULL,
  value    double precision NOT NULL,
  PRIMARY KEY (asset_id, ts, metric)
) PARTITION BY RANGE (ts);

-- What a reading carries besides its values, one row per reading, so that
-- tags and the gateway's receive time survive the narrow layout.
CREATE TABLE reading_meta (
  asset_id    text NOT NULL,
  ts          timestamptz NOT NULL,
  tags        jsonb NOT NULL DEFAULT '{}',
  received_at timestamptz,
  PRIMARY KEY (asset_id, ts)
) PARTITION BY RANGE (ts);
