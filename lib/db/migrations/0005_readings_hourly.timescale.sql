-- Hourly statistics per asset and metric, for reports over long ranges.
-- A continuous aggregate that also reads the newest raw rows, so its
-- answers are complete before the refresh policy has run; its refresh and
-- retention policies are applied from configuration.
CREATE MATERIALIZED VIEW readings_hourly
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT
  asset_id,
  metric,
  time_bucket(INTERVAL '1 hour', ts) AS bucket,
  count(*) AS samples,
  min(value) AS min_value,
  max(value) AS max_value,
  avg(value) AS mean_value
FROM readings
GROUP BY asset_id, metric, bucket
WITH NO DATA;
