-- Verifications now also read the caller's account (email, display name, role in the tenant), so that
-- it travels with the principal instead of costing each tool a query. The epoch triggers must then fire
-- when those columns change too: UPDATE OF lists the columns a verification reads (0003).
DROP TRIGGER users_credential_epoch ON users;
CREATE TRIGGER users_credential_epoch
  AFTER UPDATE OF tier, disabled_at, email, display_name OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credential_epoch();

DROP TRIGGER tenant_memberships_credential_epoch ON tenant_memberships;
CREATE TRIGGER tenant_memberships_credential_epoch
  AFTER UPDATE OF tenant_id, user_id, role OR DELETE OR TRUNCATE ON tenant_memberships
  FOR EACH STATEMENT EXECUTE FUNCTION bump_credential_epoch();
