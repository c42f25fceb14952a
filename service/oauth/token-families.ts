// Token families: one per authorization grant. Revoking a family ends its refresh tokens and, because
// access tokens name their family, its access tokens too.
import { randomUUID } from "node:crypto";
import type { Queryable } from "../db/pool.js";
import { recordAudit } from "../audit/trail.js";
import type { EventLog } from "../logging/events.js";

export type RevocationReason = "client_revocation" | "refresh_token_reuse" | "code_reuse";

export async function createTokenFamily(
  db: Queryable,
  owner: { clientId: string; tenantId: string; userId: string },
): Promise<string> {
  const id = randomUUID();
  await db.query(`INSERT INTO oauth2_token_families (id, client_id, tenant_id, user_id) VALUES ($1, $2, $3, $4)`, [
    id, owner.clientId, owner.tenantId, owner.userId,
  ]);
  return id;
}

/** Revokes the family and its refresh tokens, and audits it; a family already revoked is left as it is. */
export async function revokeTokenFamily(db: Queryable, log: EventLog, familyId: string, reason: RevocationReason, ip?: string): Promise<void> {
  const { rows } = await db.query<{ tenantId: string; userId: string; clientId: string }>(
    `UPDATE oauth2_token_families SET revoked_at = now(), revoked_reason = $2
     WHERE id = $1 AND revoked_at IS NULL
     RETURNING tenant_id AS "tenantId", user_id AS "userId", client_id AS "clientId"`,
    [familyId, reason],
  );
  if (!rows[0]) return;
  await db.query(`UPDATE oauth2_refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [familyId]);
  const { tenantId, userId, clientId } = rows[0];
  await recordAudit(db, log, { type: "oauth.token_family_revoked", tenantId, userId, target: familyId, details: { reason, clientId }, ip });
}
