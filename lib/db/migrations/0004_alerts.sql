-- Alerts are few, so they are ordinary tables on both storage paths;
-- retention deletes resolved alerts and their events.
--
-- Every state change as it was published. Replaying the topic stores
-- nothing twice: an alert occurrence is raised once and resolved once.
CREATE TABLE alert_events (
  alert_id   text NOT NULL,
  state      text NOT NULL CHECK (state IN ('RAISED', 'RESOLVED', 'UNKNOWN')),
  asset_id   text NOT NULL,
  rule       text NOT NULL,
  pipeline   text NOT NULL,
  severity   text NOT NULL,
  message    text NOT NULL,
  value      double precision,
  event_time timestamptz NOT NULL,
  emitted_at timestamptz NOT NULL,
  stored_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, state)
);
CREATE INDEX alert_events_asset_time ON alert_events (asset_id, event_time DESC);

-- The current state of each alert occurrence, merged from its events in
-- any order: once resolved it stays resolved, whatever arrives later.
-- opened_at is when it was raised (or first heard of, if the raise was
-- never stored); acknowledgements are kept here and in alert_acks.
CREATE TABLE alerts (
  alert_id        text PRIMARY KEY,
  asset_id        text NOT NULL,
  rule            text NOT NULL,
  pipeline        text NOT NULL,
  severity        text NOT NULL,
  message         text NOT NULL,
  value           double precision,
  state           text NOT NULL,
  opened_at       timestamptz NOT NULL,
  raised_at       timestamptz,
  resolved_at     timestamptz,
  last_event_time timestamptz NOT NULL,
  last_emitted_at timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  acked_at        timestamptz,
  acked_by_key    text,
  acked_by_name   text
);
CREATE INDEX alerts_asset_opened ON alerts (asset_id, opened_at DESC);
CREATE INDEX alerts_opened ON alerts (opened_at DESC);
CREATE INDEX alerts_open ON alerts (opened_at DESC) WHERE resolved_at IS NULL;

-- Every acknowledgement request: who (the API key) and when.
CREATE TABLE alert_acks (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id  text NOT NULL REFERENCES alerts (alert_id) ON DELETE CASCADE,
  acked_at  timestamptz NOT NULL DEFAULT now(),
  key_id    text NOT NULL,
  key_name  text NOT NULL,
  note      text
);
CREATE INDEX alert_acks_alert ON alert_acks (alert_id, acked_at);
