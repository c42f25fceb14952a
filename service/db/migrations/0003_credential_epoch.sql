-- The credential epoch: one counter, bumped in the same transaction as every change that can end a
-- credential or change what it authenticates as. Instances cache verified credentials and trust an entry
-- only while the epoch they read with the request's rate-limit charge is the one its verification read
-- (service/identity/credential-epoch.ts). Triggers rather than application code, so every writer is
-- covered: the service, the admin CLI, a migration, an operator's psql session.
CREATE TABLE credential_epoch (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  value      bigint NOT NULL
);
INSERT INTO credential_epoch (value) VALUES (0);

CREATE FUNCTION bump_credential_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE credential_epoch SET value = value + 1;
  RETURN NULL;
END
$$;

-- Statement triggers: one bump per statement, however many rows (also for rows deleted by a foreign-key
-- cascade). UPDATE OF lists only the columns a verification reads, so routine writes such as
-- api_keys.last_used_at do not bump.
CREATE TRIGGER api_keys_credential_epoch
  AFTER UPDATE OF tenant_id, user_id, prefix, key_hash, tier, burst_per_minute, monthly_quota, expires_at, revoked_at
    OR DELETE OR TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credential_epoch();

CREATE TRIGGER users_credential_epoch
  AFTER UPDATE OF tier, disabled_at OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credential_epoch();

CREATE TRIGGER tenants_credential_epoch
  AFTER UPDATE OF slug, name, tier OR DELETE OR TRUNCATE ON tenants
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credential_epoch();

CREATE TRIGGER tenant_memberships_credential_epoch
  AFTER UPDATE OF tenant_id, user_id OR DELETE OR TRUNCATE ON tenant_memberships
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credential_epoch();

CREATE TRIGGER oauth2_token_families_credential_epoch
  AFTER UPDATE OF client_id, tenant_id, user_id, revoked_at OR DELETE OR TRUNCATE ON oauth2_token_families
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credential_epoch();

CREATE TRIGGER oauth2_revoked_access_tokens_credential_epoch
  AFTER INSERT ON oauth2_revoked_access_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credential_epoch();

-- A signing key that stops verifying ends the tokens it signed.
CREATE TRIGGER rsa_keypairs_credential_epoch
  AFTER UPDATE OF verify_until OR DELETE OR TRUNCATE ON rsa_keypairs
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credential_epoch();
