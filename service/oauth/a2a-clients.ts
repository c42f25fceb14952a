// A2A clients (a2a_clients): other agents, registered by an operator in one tenant, that authenticate at
// the token endpoint with the client credentials grant. A client acts for one user of its tenant, the one
// whose consent (a2a_sessions, revocable) is live; the consent's id is the family_id of its tokens, so
// revoking it ends every token issued under it at the next verification.
import type { Queryable } from "../db/pool.js";
import { SCOPES } from "../identity/scopes.js";
import { credentialMatches, hashCredential, randomCredential } from "./secrets.js";

export interface A2aClient {
  id: string;
  tenantId: string;
  name: string;
}

/** A user's live consent for a client: who the client acts for, with which scopes. */
export interface A2aConsent {
  id: string;
  clientId: string;
  tenantId: string;
  userId: string;
  scopes: string[];
  expiresAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The secret is returned once; only its hash is stored. */
export async function createA2aClient(db: Queryable, input: { tenantId: string; name: string; description?: string }): Promise<{ client: A2aClient; secret: string }> {
  const secret = randomCredential();
  const { rows } = await db.query<A2aClient>(
    `INSERT INTO a2a_clients (tenant_id, name, description, client_secret_hash, capabilities) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, tenant_id AS "tenantId", name`,
    [input.tenantId, input.name, input.description ?? null, hashCredential(secret), [...SCOPES]],
  );
  return { client: rows[0], secret };
}

/** The unrevoked client these credentials prove, or undefined. */
export async function authenticateA2aClient(db: Queryable, clientId: string, secret: string | undefined): Promise<A2aClient | undefined> {
  if (!UUID.test(clientId) || secret === undefined) return undefined;
  const { rows } = await db.query<A2aClient & { secretHash: string | null }>(
    `SELECT id, tenant_id AS "tenantId", name, client_secret_hash AS "secretHash" FROM a2a_clients WHERE id = $1 AND revoked_at IS NULL`,
    [clientId],
  );
  const row = rows[0];
  if (!row?.secretHash || !credentialMatches(secret, row.secretHash)) return undefined;
  return { id: row.id, tenantId: row.tenantId, name: row.name };
}

/** Finds a client of one tenant (the admin CLI names clients within a tenant). */
export async function findA2aClient(db: Queryable, tenantId: string, clientId: string): Promise<A2aClient | undefined> {
  if (!UUID.test(clientId)) return undefined;
  const { rows } = await db.query<A2aClient>(
    `SELECT id, tenant_id AS "tenantId", name FROM a2a_clients WHERE id = $1 AND tenant_id = $2 AND revoked_at IS NULL`,
    [clientId, tenantId],
  );
  return rows[0];
}

const CONSENT_COLUMNS = `id, client_id AS "clientId", tenant_id AS "tenantId", user_id AS "userId", scopes, expires_at AS "expiresAt"`;

/**
 * Records that `userId` lets the client act for them, replacing the client's previous consent (a client
 * acts for one user). The user must be a member of the client's tenant. Run inside a transaction.
 */
export async function grantA2aAccess(db: Queryable, client: A2aClient, userId: string, scopes: readonly string[], expiresAt: Date): Promise<A2aConsent | undefined> {
  await db.query("UPDATE a2a_sessions SET revoked_at = now() WHERE client_id = $1 AND revoked_at IS NULL", [client.id]);
  const { rows } = await db.query<A2aConsent>(
    `INSERT INTO a2a_sessions (client_id, tenant_id, user_id, scopes, expires_at)
     SELECT $1, $2, m.user_id, $4, $5 FROM tenant_memberships m WHERE m.tenant_id = $2 AND m.user_id = $3
     RETURNING ${CONSENT_COLUMNS}`,
    [client.id, client.tenantId, userId, [...scopes], expiresAt],
  );
  return rows[0];
}

/** Ends the client's live consent; false when there was none. */
export async function revokeA2aAccess(db: Queryable, client: A2aClient): Promise<boolean> {
  const { rowCount } = await db.query("UPDATE a2a_sessions SET revoked_at = now() WHERE client_id = $1 AND revoked_at IS NULL", [client.id]);
  return (rowCount ?? 0) > 0;
}

/** The client's live, unexpired consent by a user still in its tenant, if any. */
export async function liveA2aConsent(db: Queryable, client: A2aClient): Promise<A2aConsent | undefined> {
  const { rows } = await db.query<A2aConsent>(
    `SELECT ${CONSENT_COLUMNS} FROM a2a_sessions s
     WHERE s.client_id = $1 AND s.tenant_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()
       AND EXISTS (SELECT 1 FROM tenant_memberships m WHERE m.tenant_id = s.tenant_id AND m.user_id = s.user_id)`,
    [client.id, client.tenantId],
  );
  return rows[0];
}
