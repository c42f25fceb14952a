-- OAuth 2.1 authorization server state that 0001 does not cover.

-- One row per authorization grant (a successful login + consent for one client). Refresh tokens rotate
-- within a family; access tokens name their family, so revoking it ends every token of the grant.
CREATE TABLE oauth2_token_families (
  id              uuid PRIMARY KEY,
  client_id       text NOT NULL REFERENCES oauth2_clients (client_id) ON DELETE CASCADE,
  tenant_id       uuid NOT NULL,
  user_id         uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  revoked_reason  text CHECK (revoked_reason IN ('client_revocation', 'refresh_token_reuse', 'code_reuse')),
  FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX oauth2_token_families_owner_idx ON oauth2_token_families (tenant_id, user_id);

ALTER TABLE oauth2_refresh_tokens
  ADD CONSTRAINT oauth2_refresh_tokens_family_fkey
  FOREIGN KEY (family_id) REFERENCES oauth2_token_families (id) ON DELETE CASCADE;

-- The family a code was exchanged into, so a replayed code can revoke what it produced.
ALTER TABLE oauth2_auth_codes
  ADD COLUMN family_id uuid REFERENCES oauth2_token_families (id) ON DELETE CASCADE;

-- A validated GET /oauth2/authorize waiting for the user's sign-in. Its random id (stored hashed) is the
-- login form's one-time token: it binds the form post to parameters the server already checked and
-- works as CSRF protection on any instance. user_id is set once the password was right but the user
-- still has to pick one of several tenants.
CREATE TABLE oauth2_authorization_requests (
  id_hash          text PRIMARY KEY,
  client_id        text NOT NULL REFERENCES oauth2_clients (client_id) ON DELETE CASCADE,
  redirect_uri     text NOT NULL,
  code_challenge   text NOT NULL,
  scope            text NOT NULL,
  state            text,
  resource         text NOT NULL,
  user_id          uuid REFERENCES users (id) ON DELETE CASCADE,
  failed_attempts  integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  completed_at     timestamptz
);
CREATE INDEX oauth2_authorization_requests_expires_idx ON oauth2_authorization_requests (expires_at);

-- Access tokens revoked one by one (RFC 7009); kept until the token would have expired anyway.
CREATE TABLE oauth2_revoked_access_tokens (
  jti         text PRIMARY KEY,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth2_revoked_access_tokens_expires_idx ON oauth2_revoked_access_tokens (expires_at);
