-- For the OAuth clean-up (service/oauth/cleanup.ts), which finds expired refresh tokens and long-revoked
-- token families without scanning their tables.
CREATE INDEX oauth2_refresh_tokens_expires_idx ON oauth2_refresh_tokens (expires_at);
CREATE INDEX oauth2_token_families_revoked_idx ON oauth2_token_families (revoked_at) WHERE revoked_at IS NOT NULL;
