-- Hourly statistics per asset and metric, for reports over long ranges.
-- Plain PostgreSQL has no continuous aggregates: the same columns are
-- computed from the raw rows when read. date_bin, unlike date_trunc, does
-- not depend on the session's time zone.
CREATE VIEW readings_hourly AS
SELECT
  asset_id,
  metric,
  date_bin(INTERVAL '1 hour', ts, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
  count(*) AS samples,
  min(value) AS min_value,
  max(value) AS max_value,
  avg(value) AS mean_value
FROM readings
GROUP BY asset_id, metric, bucket;
