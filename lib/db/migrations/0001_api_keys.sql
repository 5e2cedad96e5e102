-- API keys of the gateway. Only a SHA-256 hash of each key's secret is kept:
-- the secret itself is shown once, when the key is created.
CREATE TABLE api_keys (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  secret_hash bytea NOT NULL,
  scopes      text[] NOT NULL,
  rate_limit  jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  CONSTRAINT api_keys_scopes_known CHECK (
    scopes <@ ARRAY['data:ingest', 'predict', 'reports:generate', 'admin']::text[]
  )
);
