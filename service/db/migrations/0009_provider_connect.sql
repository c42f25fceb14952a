-- Connect flow state and the caches sync keeps beside the activities (issue 8).

-- One row per started authorization: random `state` (stored as its SHA-256), single use (deleted when the
-- callback consumes it), 10 minutes, bound to tenant, user and provider. The PKCE verifier is sealed with
-- the keyring (AAD = the state hash) like any other secret at rest.
CREATE TABLE provider_oauth_states (
  state_hash          text PRIMARY KEY,
  tenant_id           uuid NOT NULL,
  user_id             uuid NOT NULL,
  provider            text NOT NULL CHECK (provider IN ('strava', 'garmin', 'fitbit', 'synthetic')),
  data_key_id         uuid NOT NULL REFERENCES data_encryption_keys (id),
  verifier_ciphertext bytea NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  expires_at          timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX provider_oauth_states_expires_idx ON provider_oauth_states (expires_at);

-- What else a connection caches: sleep/HRV (refreshed like the activity list) and the athlete profile.
ALTER TABLE provider_sync_state
  ADD COLUMN sleep_synced_at   timestamptz,
  ADD COLUMN profile           jsonb,
  ADD COLUMN profile_synced_at timestamptz;
