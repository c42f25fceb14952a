-- Pierre initial schema. Every tenant-owned row carries tenant_id, and composite foreign keys tie a row's
-- user to a membership of that same tenant, so a row can never point across tenants.

CREATE TABLE tenants (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  tier        text NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'pro', 'enterprise')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email          text NOT NULL CHECK (position('@' IN email) > 1),
  password_hash  text NOT NULL,
  display_name   text,
  tier           text NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'pro', 'enterprise')),
  is_admin       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  disabled_at    timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE tenant_memberships (
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role        text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX tenant_memberships_user_idx ON tenant_memberships (user_id);

CREATE TABLE api_keys (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id              uuid NOT NULL,
  user_id                uuid NOT NULL,
  name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  prefix                 text NOT NULL UNIQUE,
  key_hash               text NOT NULL,
  tier                   text CHECK (tier IN ('free', 'pro', 'enterprise')),
  burst_per_minute       integer CHECK (burst_per_minute > 0),
  monthly_quota          integer CHECK (monthly_quota > 0),
  created_at             timestamptz NOT NULL DEFAULT now(),
  expires_at             timestamptz,
  last_used_at           timestamptz,
  revoked_at             timestamptz,
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX api_keys_tenant_user_idx ON api_keys (tenant_id, user_id);

-- Envelope encryption: data keys wrapped by the master key (Secret Manager / TOKEN_ENCRYPTION_KEY).
CREATE TABLE data_encryption_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  wrapped_key  bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  retired_at   timestamptz
);

CREATE TABLE rsa_keypairs (
  kid                     text PRIMARY KEY,
  algorithm               text NOT NULL DEFAULT 'RS256' CHECK (algorithm = 'RS256'),
  public_key_pem          text NOT NULL,
  private_key_ciphertext  bytea NOT NULL,
  data_key_id             uuid NOT NULL REFERENCES data_encryption_keys (id),
  created_at              timestamptz NOT NULL DEFAULT now(),
  -- A key signs while it is the newest unretired one; it keeps verifying (and stays in the JWKS)
  -- until verify_until, so tokens it signed stay valid after a rotation.
  retired_at              timestamptz,
  verify_until            timestamptz
);

CREATE TABLE oauth2_clients (
  client_id                   text PRIMARY KEY,
  client_secret_hash          text,
  client_secret_expires_at    timestamptz,
  client_name                 text,
  redirect_uris               text[] NOT NULL CHECK (cardinality(redirect_uris) > 0),
  grant_types                 text[] NOT NULL DEFAULT ARRAY['authorization_code', 'refresh_token'],
  response_types              text[] NOT NULL DEFAULT ARRAY['code'],
  token_endpoint_auth_method  text NOT NULL DEFAULT 'none'
    CHECK (token_endpoint_auth_method IN ('none', 'client_secret_post', 'client_secret_basic')),
  scope                       text,
  metadata                    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at                  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE oauth2_auth_codes (
  code_hash              text PRIMARY KEY,
  client_id              text NOT NULL REFERENCES oauth2_clients (client_id) ON DELETE CASCADE,
  tenant_id              uuid NOT NULL,
  user_id                uuid NOT NULL,
  redirect_uri           text NOT NULL,
  code_challenge         text NOT NULL,
  code_challenge_method  text NOT NULL DEFAULT 'S256' CHECK (code_challenge_method = 'S256'),
  scope                  text NOT NULL DEFAULT '',
  resource               text NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  expires_at             timestamptz NOT NULL,
  consumed_at            timestamptz,
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX oauth2_auth_codes_expires_idx ON oauth2_auth_codes (expires_at);

CREATE TABLE oauth2_refresh_tokens (
  token_hash    text PRIMARY KEY,
  family_id     uuid NOT NULL,
  client_id     text NOT NULL REFERENCES oauth2_clients (client_id) ON DELETE CASCADE,
  tenant_id     uuid NOT NULL,
  user_id       uuid NOT NULL,
  scope         text NOT NULL DEFAULT '',
  resource      text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  rotated_at    timestamptz,
  revoked_at    timestamptz,
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX oauth2_refresh_tokens_family_idx ON oauth2_refresh_tokens (family_id);

-- Connections to fitness providers; the tokens themselves live encrypted in user_oauth_tokens.
CREATE TABLE provider_connections (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            uuid NOT NULL,
  user_id              uuid NOT NULL,
  provider             text NOT NULL CHECK (provider IN ('strava', 'garmin', 'fitbit')),
  status               text NOT NULL DEFAULT 'connected' CHECK (status IN ('pending', 'connected', 'disconnected', 'error')),
  external_user_id     text,
  scopes               text[] NOT NULL DEFAULT '{}',
  connected_at         timestamptz,
  last_sync_at         timestamptz,
  last_error           text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, user_id, provider),
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);

CREATE TABLE user_oauth_tokens (
  connection_id             uuid PRIMARY KEY REFERENCES provider_connections (id) ON DELETE CASCADE,
  tenant_id                 uuid NOT NULL,
  user_id                   uuid NOT NULL,
  provider                  text NOT NULL,
  data_key_id               uuid NOT NULL REFERENCES data_encryption_keys (id),
  access_token_ciphertext   bytea NOT NULL,
  refresh_token_ciphertext  bytea,
  expires_at                timestamptz,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);

CREATE TABLE goals (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL,
  user_id         uuid NOT NULL,
  goal_type       text NOT NULL,
  sport           text,
  target_value    double precision NOT NULL,
  unit            text NOT NULL,
  starts_on       date NOT NULL DEFAULT current_date,
  ends_on         date NOT NULL,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'abandoned')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on >= starts_on),
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX goals_owner_idx ON goals (tenant_id, user_id, status);

CREATE TABLE insights (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL,
  user_id     uuid NOT NULL,
  kind        text NOT NULL,
  content     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX insights_owner_idx ON insights (tenant_id, user_id, created_at DESC);

-- A tenant-wide default (user_id NULL) and per-user overrides of FTP, LTHR, max HR, weight, ...
CREATE TABLE fitness_configurations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
  name        text NOT NULL DEFAULT 'default',
  config      jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (tenant_id, user_id, name)
);

-- Fixed-window counters shared by all instances: per-minute bursts and monthly quotas.
CREATE TABLE rate_limit_counters (
  bucket        text NOT NULL,
  window_start  timestamptz NOT NULL,
  count         integer NOT NULL DEFAULT 0,
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limit_counters_expires_idx ON rate_limit_counters (expires_at);

CREATE TABLE audit_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id      uuid REFERENCES tenants (id) ON DELETE SET NULL,
  actor_user_id  uuid REFERENCES users (id) ON DELETE SET NULL,
  event_type     text NOT NULL,
  target         text,
  details        jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip             inet,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_tenant_idx ON audit_events (tenant_id, created_at DESC);

-- Agent-to-agent protocol (tables now; the protocol comes later).
CREATE TABLE a2a_clients (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id           uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name                text NOT NULL,
  description         text,
  public_key_pem      text,
  client_secret_hash  text,
  capabilities        text[] NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL DEFAULT now(),
  revoked_at          timestamptz
);

CREATE TABLE a2a_sessions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id   uuid NOT NULL REFERENCES a2a_clients (id) ON DELETE CASCADE,
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
  scopes      text[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

CREATE TABLE a2a_tasks (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id    uuid REFERENCES a2a_sessions (id) ON DELETE SET NULL,
  client_id     uuid NOT NULL REFERENCES a2a_clients (id) ON DELETE CASCADE,
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  task_type     text NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
  input         jsonb NOT NULL DEFAULT '{}'::jsonb,
  result        jsonb,
  error         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz
);
CREATE INDEX a2a_tasks_tenant_idx ON a2a_tasks (tenant_id, status);
