-- A feature vector is identified by the window it summarises; features
-- differ per pipeline, so they are kept as one JSON object.
CREATE TABLE feature_vectors (
  asset_id        text NOT NULL,
  pipeline        text NOT NULL,
  window_start    timestamptz NOT NULL,
  window_end      timestamptz NOT NULL,
  record_count    integer NOT NULL,
  features        jsonb NOT NULL,
  missing_metrics text[] NOT NULL DEFAULT '{}',
  close_reason    text NOT NULL,
  emitted_at      timestamptz NOT NULL,
  PRIMARY KEY (asset_id, pipeline, window_end, window_start)
) PARTITION BY RANGE (window_end);

-- A prediction is identified by its input (the window) and the function
-- that scored it (model and version): rescoring a window with a new model
-- version adds a row instead of being ignored as a duplicate.
CREATE TABLE predictions (
  asset_id      text NOT NULL,
  pipeline      text NOT NULL,
  model         text NOT NULL,
  model_version text NOT NULL,
  window_start  timestamptz NOT NULL,
  window_end    timestamptz NOT NULL,
  outputs       jsonb NOT NULL,
  predicted_at  timestamptz NOT NULL,
  PRIMARY KEY (asset_id, pipeline, model, window_end, model_version)
) PARTITION BY RANGE (window_end);
CREATE INDEX predictions_asset_time ON predictions (asset_id, window_end DESC);
