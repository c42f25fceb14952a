// Refresh tokens: opaque, stored as hashes, REFRESH_TOKEN_TTL_SECONDS from issue, rotated on every use.
// A rotated token stays in the table so that presenting it again is recognized as reuse.
import type { Queryable } from "../db/pool.js";
import { REFRESH_TOKEN_TTL_SECONDS } from "./lifetimes.js";
import { formatScope, parseScope } from "./scopes.js";
import { hashCredential, randomCredential } from "./secrets.js";

export interface NewRefreshToken {
  familyId: string;
  clientId: string;
  tenantId: string;
  userId: string;
  scopes: string[];
  resource: string;
}

export interface LockedRefreshToken extends NewRefreshToken {
  tokenHash: string;
  rotated: boolean;
  /** This token, its family, or its user is no longer valid, or it has expired. */
  unusable: boolean;
}

export async function createRefreshToken(db: Queryable, input: NewRefreshToken): Promise<string> {
  const token = randomCredential();
  await db.query(
    `INSERT INTO oauth2_refresh_tokens (token_hash, family_id, client_id, tenant_id, user_id, scope, resource, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`,
    [hashCredential(token), input.familyId, input.clientId, input.tenantId, input.userId, formatScope(input.scopes),
      input.resource, REFRESH_TOKEN_TTL_SECONDS],
  );
  return token;
}

/** Reads and row-locks a refresh token, so two concurrent refreshes with it are serialized (call in a transaction). */
export async function lockRefreshToken(db: Queryable, token: string): Promise<LockedRefreshToken | undefined> {
  const { rows } = await db.query<Omit<LockedRefreshToken, "scopes"> & { scope: string }>(
    `SELECT t.token_hash AS "tokenHash", t.family_id AS "familyId", t.client_id AS "clientId", t.tenant_id AS "tenantId",
       t.user_id AS "userId", t.scope, t.resource, t.rotated_at IS NOT NULL AS rotated,
       (t.revoked_at IS NOT NULL OR t.expires_at <= now() OR f.revoked_at IS NOT NULL OR u.disabled_at IS NOT NULL) AS unusable
     FROM oauth2_refresh_tokens t
     JOIN oauth2_token_families f ON f.id = t.family_id
     JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 FOR UPDATE OF t`,
    [hashCredential(token)],
  );
  if (!rows[0]) return undefined;
  const { scope, ...row } = rows[0];
  return { ...row, scopes: parseScope(scope) };
}

export async function markRefreshTokenRotated(db: Queryable, tokenHash: string): Promise<void> {
  await db.query(`UPDATE oauth2_refresh_tokens SET rotated_at = now() WHERE token_hash = $1`, [tokenHash]);
}

export async function findRefreshToken(db: Queryable, token: string): Promise<{ familyId: string; clientId: string } | undefined> {
  const { rows } = await db.query<{ familyId: string; clientId: string }>(
    `SELECT family_id AS "familyId", client_id AS "clientId" FROM oauth2_refresh_tokens WHERE token_hash = $1`,
    [hashCredential(token)],
  );
  return rows[0];
}
