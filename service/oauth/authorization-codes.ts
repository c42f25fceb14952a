// Authorization codes: single use, AUTHORIZATION_CODE_TTL_SECONDS, stored only as a hash, bound to the
// client, redirect URI, PKCE challenge, scopes and resource of the request that produced them.
import type { Queryable } from "../db/pool.js";
import { AUTHORIZATION_CODE_TTL_SECONDS } from "./lifetimes.js";
import { formatScope, parseScope } from "./scopes.js";
import { hashCredential, randomCredential } from "./secrets.js";

export interface NewAuthorizationCode {
  clientId: string;
  tenantId: string;
  userId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  resource: string;
}

export interface LockedAuthorizationCode extends NewAuthorizationCode {
  codeHash: string;
  consumed: boolean;
  /** Expired, or its user was disabled since signing in. */
  unusable: boolean;
  /** The grant the code was exchanged into, once consumed. */
  familyId: string | null;
}

export async function createAuthorizationCode(db: Queryable, input: NewAuthorizationCode): Promise<string> {
  const code = randomCredential();
  await db.query(
    `INSERT INTO oauth2_auth_codes (code_hash, client_id, tenant_id, user_id, redirect_uri, code_challenge, scope, resource, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9))`,
    [hashCredential(code), input.clientId, input.tenantId, input.userId, input.redirectUri, input.codeChallenge,
      formatScope(input.scopes), input.resource, AUTHORIZATION_CODE_TTL_SECONDS],
  );
  return code;
}

/** Reads and row-locks a code, so two concurrent exchanges of it are serialized (call in a transaction). */
export async function lockAuthorizationCode(db: Queryable, code: string): Promise<LockedAuthorizationCode | undefined> {
  const { rows } = await db.query<Omit<LockedAuthorizationCode, "scopes"> & { scope: string }>(
    `SELECT c.code_hash AS "codeHash", c.client_id AS "clientId", c.tenant_id AS "tenantId", c.user_id AS "userId",
       c.redirect_uri AS "redirectUri", c.code_challenge AS "codeChallenge", c.scope, c.resource, c.family_id AS "familyId",
       c.consumed_at IS NOT NULL AS consumed, (c.expires_at <= now() OR u.disabled_at IS NOT NULL) AS unusable
     FROM oauth2_auth_codes c JOIN users u ON u.id = c.user_id
     WHERE c.code_hash = $1 FOR UPDATE OF c`,
    [hashCredential(code)],
  );
  if (!rows[0]) return undefined;
  const { scope, ...row } = rows[0];
  return { ...row, scopes: parseScope(scope) };
}

export async function markAuthorizationCodeConsumed(db: Queryable, codeHash: string, familyId: string): Promise<void> {
  await db.query(`UPDATE oauth2_auth_codes SET consumed_at = now(), family_id = $2 WHERE code_hash = $1`, [codeHash, familyId]);
}
