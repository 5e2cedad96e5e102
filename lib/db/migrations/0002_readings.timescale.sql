-- Readings in the narrow layout: one row per metric value. Assets report
-- different metric sets (a pump's temperature and vibration, an engine's
-- 21 sensors), so a column per metric would be mostly empty and would need
-- a schema change for every new sensor. Per-metric rows keep one plain
-- double column that compresses well, index and aggregate by metric.
CREATE EXTENSION IF NOT EXISTS timescaledb;

CREATE TABLE readings (
  asset_id text NOT NULL,
  ts       timestamptz NOT NULL,
  metric   text NOT NULL,
  value    double precision NOT NULL,
  PRIMARY KEY (asset_id, ts, metric)
);

-- What a reading carries besides its values, one row per reading, so that
-- tags and the gateway's receive time survive the narrow layout.
CREATE TABLE reading_meta (
  asset_id    text NOT NULL,
  ts          timestamptz NOT NULL,
  tags        jsonb NOT NULL DEFAULT '{}',
  received_at timestamptz,
  PRIMARY KEY (asset_id, ts)
);

-- The chunk interval, compression and retention policies are applied from
-- configuration after the migrations; these are only starting values.
SELECT create_hypertable('readings', by_range('ts', INTERVAL '1 day'));
SELECT create_hypertable('reading_meta', by_range('ts', INTERVAL '1 day'));

ALTER TABLE readings SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'asset_id',
  timescaledb.compress_orderby = 'metric, ts DESC'
);
ALTER TABLE reading_meta SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'asset_id',
  timescaledb.compress_orderby = 'ts DESC'
);
