// Security events of the authorization server, written to audit_events (never to logs alone).
import { isIP } from "node:net";
import type { Queryable } from "../db/pool.js";

export type OAuthAuditEvent =
  | "oauth.client_registered"
  | "oauth.login_succeeded"
  | "oauth.login_failed"
  /** details.reason: client_revocation, refresh_token_reuse or code_reuse (the last two are attacks or bugs). */
  | "oauth.token_family_revoked"
  | "oauth.signing_key_rotated";

export interface AuditEntry {
  type: OAuthAuditEvent;
  tenantId?: string | null;
  userId?: string | null;
  /** What the event is about: a client id, a token family id, a key id. */
  target?: string;
  details?: Record<string, unknown>;
  /** The client address as the app resolved it; anything that is not an IP address is stored as unknown (NULL). */
  ip?: string;
}

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (tenant_id, actor_user_id, event_type, target, details, ip) VALUES ($1, $2, $3, $4, $5, $6)`,
    [entry.tenantId ?? null, entry.userId ?? null, entry.type, entry.target ?? null, entry.details ?? {}, auditAddress(entry.ip)],
  );
}

/**
 * The `inet` column refuses what is not an address, and the audit row shares a transaction with the
 * revocation it records: an unparsable (forwarded) address must not abort the revocation.
 */
function auditAddress(ip: string | undefined): string | null {
  const address = ip?.split("%")[0]; // inet has no IPv6 zone ids
  return address !== undefined && isIP(address) !== 0 ? address : null;
}
