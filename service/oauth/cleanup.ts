// Deletes OAuth state that nothing can use any more, each statement bounded to `batch` rows. createOAuth
// runs it from the OAuth routes, at most once a minute per instance (db/sweeper.ts).
//
//   authorization requests   once expired: the sign-in form they back is refused anyway;
//   authorization codes      a day after expiry: until then a replayed code still revokes its grant;
//   refresh tokens           once expired, rotated ones included (a replay is refused either way);
//   token families           a day after revocation, or once every token of the grant has expired: no
//                            refresh token left that expired less than an access token's lifetime ago
//                            (access tokens are issued with a refresh token, and live an hour);
//   revoked access tokens    once the token would have expired anyway;
//   sign-in failures         once older than every window of identity/sign-in-throttle.ts.
//
// Deleting a family bumps the credential epoch (its trigger fires per statement, even for no rows), so
// families are only deleted when some are due.
import type { Queryable } from "../db/pool.js";
import { deleteStaleSignInFailures } from "../identity/sign-in-throttle.js";
import { ACCESS_TOKEN_TTL_SECONDS } from "./lifetimes.js";

const CODE_REPLAY_WINDOW = "1 day";
const REVOKED_FAMILY_KEPT = "1 day";

export interface OAuthCleanupResult {
  authorizationRequests: number;
  authorizationCodes: number;
  refreshTokens: number;
  tokenFamilies: number;
  revokedAccessTokens: number;
  signInFailures: number;
}

export async function deleteExpiredOAuthState(db: Queryable, batch: number): Promise<OAuthCleanupResult> {
  const deleted = async (sql: string, values: unknown[] = []) => (await db.query(sql, [batch, ...values])).rowCount ?? 0;
  const authorizationRequests = await deleted(
    `DELETE FROM oauth2_authorization_requests WHERE id_hash IN (
       SELECT id_hash FROM oauth2_authorization_requests WHERE expires_at < now() LIMIT $1)`,
  );
  const authorizationCodes = await deleted(
    `DELETE FROM oauth2_auth_codes WHERE code_hash IN (
       SELECT code_hash FROM oauth2_auth_codes WHERE expires_at < now() - $2::interval LIMIT $1)`,
    [CODE_REPLAY_WINDOW],
  );
  const dueFamilies = await db.query<{ id: string }>(
    `SELECT f.id FROM oauth2_token_families f
     WHERE f.revoked_at < now() - $2::interval
        OR (f.created_at < now() - make_interval(secs => $3) AND NOT EXISTS (
              SELECT 1 FROM oauth2_refresh_tokens r
              WHERE r.family_id = f.id AND r.expires_at > now() - make_interval(secs => $3)))
     LIMIT $1`,
    [batch, REVOKED_FAMILY_KEPT, ACCESS_TOKEN_TTL_SECONDS],
  );
  const tokenFamilies =
    dueFamilies.rows.length === 0
      ? 0
      : ((await db.query("DELETE FROM oauth2_token_families WHERE id = ANY($1::uuid[])", [dueFamilies.rows.map((row) => row.id)])).rowCount ?? 0);
  const refreshTokens = await deleted(
    `DELETE FROM oauth2_refresh_tokens WHERE token_hash IN (
       SELECT token_hash FROM oauth2_refresh_tokens WHERE expires_at < now() LIMIT $1)`,
  );
  const revokedAccessTokens = await deleted(
    `DELETE FROM oauth2_revoked_access_tokens WHERE jti IN (
       SELECT jti FROM oauth2_revoked_access_tokens WHERE expires_at < now() LIMIT $1)`,
  );
  const signInFailures = await deleteStaleSignInFailures(db, batch);
  return { authorizationRequests, authorizationCodes, refreshTokens, tokenFamilies, revokedAccessTokens, signInFailures };
}
