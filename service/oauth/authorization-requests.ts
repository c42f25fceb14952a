// Authorization requests waiting for the user to sign in. GET /oauth2/authorize validates the request
// and stores it; its random id travels only in the sign-in form, so POST /oauth2/authorize can trust
// every parameter it reads back (nothing from the client is re-read from the form) and a form cannot be
// posted without first loading the page. Stored in Postgres because the POST may reach another instance.
import type { Queryable } from "../db/pool.js";
import { AUTHORIZATION_REQUEST_TTL_SECONDS } from "./lifetimes.js";
import { formatScope, parseScope } from "./scopes.js";
import { hashCredential, randomCredential } from "./secrets.js";

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  state: string | undefined;
  resource: string;
}

export interface PendingAuthorization extends AuthorizationRequest {
  idHash: string;
  clientName: string | null;
  /** Set once the password was right and the user still has to choose a tenant. */
  userId: string | null;
}

/** Stores the request and returns the one-time form token naming it. */
export async function createAuthorizationRequest(db: Queryable, request: AuthorizationRequest): Promise<string> {
  const formToken = randomCredential();
  await db.query(
    `INSERT INTO oauth2_authorization_requests (id_hash, client_id, redirect_uri, code_challenge, scope, state, resource, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`,
    [hashCredential(formToken), request.clientId, request.redirectUri, request.codeChallenge, formatScope(request.scopes),
      request.state ?? null, request.resource, AUTHORIZATION_REQUEST_TTL_SECONDS],
  );
  return formToken;
}

/** The unexpired, unfinished request a form token names. */
export async function findPendingAuthorization(db: Queryable, formToken: string): Promise<PendingAuthorization | undefined> {
  const { rows } = await db.query<Omit<PendingAuthorization, "scopes" | "state"> & { scope: string; state: string | null }>(
    `SELECT r.id_hash AS "idHash", r.client_id AS "clientId", c.client_name AS "clientName", r.redirect_uri AS "redirectUri",
       r.code_challenge AS "codeChallenge", r.scope, r.state, r.resource, r.user_id AS "userId"
     FROM oauth2_authorization_requests r JOIN oauth2_clients c ON c.client_id = r.client_id
     WHERE r.id_hash = $1 AND r.completed_at IS NULL AND r.expires_at > now()`,
    [hashCredential(formToken)],
  );
  if (!rows[0]) return undefined;
  const { scope, state, ...row } = rows[0];
  return { ...row, scopes: parseScope(scope), state: state ?? undefined };
}

/** Counts a wrong password; returns the attempts so far. */
export async function recordFailedSignIn(db: Queryable, idHash: string): Promise<number> {
  const { rows } = await db.query<{ failedAttempts: number }>(
    `UPDATE oauth2_authorization_requests SET failed_attempts = failed_attempts + 1 WHERE id_hash = $1
     RETURNING failed_attempts AS "failedAttempts"`,
    [idHash],
  );
  return rows[0]?.failedAttempts ?? 0;
}

export async function rememberSignedInUser(db: Queryable, idHash: string, userId: string): Promise<void> {
  await db.query(`UPDATE oauth2_authorization_requests SET user_id = $2 WHERE id_hash = $1`, [idHash, userId]);
}

/** Finishes the request; false when another submission finished it first (each form works once). */
export async function completeAuthorizationRequest(db: Queryable, idHash: string): Promise<boolean> {
  const result = await db.query(
    `UPDATE oauth2_authorization_requests SET completed_at = now() WHERE id_hash = $1 AND completed_at IS NULL`,
    [idHash],
  );
  return result.rowCount === 1;
}
