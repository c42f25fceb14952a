// The audit trail: security-relevant actions written to audit_events AND logged as security_event
// lines (so they are searchable and alertable in Cloud Logging). Callers put no secret in an entry: a
// key is named by its prefix, a token by its family id, a client by its id. A row written inside a
// transaction that later rolls back leaves its log line behind; the table is the record of what happened.
import { isIP } from "node:net";
import type { Queryable } from "../db/pool.js";
import { emitSecurityEvent, type EventLog, type SecurityEventType } from "../logging/events.js";

export interface AuditEntry {
  type: SecurityEventType;
  tenantId?: string | null;
  /** Who acted, when a user did. */
  userId?: string | null;
  /** What the event is about: a client id, a token family id, a key id or prefix. */
  target?: string;
  details?: Record<string, unknown>;
  /** The client address as the app resolved it; anything that is not an IP address is stored as unknown (NULL). */
  ip?: string;
}

export async function recordAudit(db: Queryable, log: EventLog, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (tenant_id, actor_user_id, event_type, target, details, ip) VALUES ($1, $2, $3, $4, $5, $6)`,
    [entry.tenantId ?? null, entry.userId ?? null, entry.type, entry.target ?? null, entry.details ?? {}, auditAddress(entry.ip)],
  );
  emitSecurityEvent(log, entry);
}

/**
 * The `inet` column refuses what is not an address, and the audit row shares a transaction with the
 * revocation it records: an unparsable (forwarded) address must not abort the revocation.
 */
function auditAddress(ip: string | undefined): string | null {
  const address = ip?.split("%")[0]; // inet has no IPv6 zone ids
  return address !== undefined && isIP(address) !== 0 ? address : null;
}

export interface AuditQuery {
  tenantId?: string;
  since: Date;
  /** An event type, or a prefix ending in "." (e.g. "oauth.") for a family of them. */
  type?: string;
  limit: number;
}

export interface AuditRecord {
  at: Date;
  type: string;
  tenant: string | null;
  actor: string | null;
  target: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** Newest first, with the tenant's slug and the actor's email. */
export async function listAuditEvents(db: Queryable, query: AuditQuery): Promise<AuditRecord[]> {
  const typeFilter = query.type?.endsWith(".") ? "starts_with(a.event_type, $3)" : "a.event_type = $3";
  const { rows } = await db.query<AuditRecord>(
    `SELECT a.created_at AS at, a.event_type AS type, t.slug AS tenant, u.email AS actor, a.target, host(a.ip) AS ip, a.details
     FROM audit_events a LEFT JOIN tenants t ON t.id = a.tenant_id LEFT JOIN users u ON u.id = a.actor_user_id
     WHERE a.created_at >= $1 AND ($2::uuid IS NULL OR a.tenant_id = $2) AND ($3::text IS NULL OR ${typeFilter})
     ORDER BY a.created_at DESC, a.id DESC LIMIT $4`,
    [query.since, query.tenantId ?? null, query.type ?? null, query.limit],
  );
  return rows;
}
