// provider_connections and its sync-state row: the SQL of a user's connection to one provider. Every
// query is scoped by tenant AND user, so another tenant's connection is indistinguishable from none.
import type { Queryable } from "../db/pool.js";
import type { ProviderId } from "./model.js";

export const CONNECTION_STATUSES = ["pending", "connected", "disconnected", "error", "reauthorization_required"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** Whose data: every read and write names both. */
export interface Owner {
  tenantId: string;
  userId: string;
}

export interface Connection extends Owner {
  id: string;
  provider: ProviderId;
  status: ConnectionStatus;
  externalUserId: string | null;
  scopes: string[];
  connectedAt: Date | null;
  lastSyncAt: Date | null;
  lastError: string | null;
  /** When the cached data was last synced (provider_sync_state), read along so a fresh cache costs no second query. */
  syncedAt: Date | null;
}

const COLUMNS = `c.id, c.tenant_id AS "tenantId", c.user_id AS "userId", c.provider, c.status, c.external_user_id AS "externalUserId",
  c.scopes, c.connected_at AS "connectedAt", c.last_sync_at AS "lastSyncAt", c.last_error AS "lastError", s.activities_synced_at AS "syncedAt"`;
const FROM = "provider_connections c LEFT JOIN provider_sync_state s ON s.connection_id = c.id";

/**
 * The owner's connections as one JSON array ($1 tenant, $2 user), for a statement that reads them along with
 * other data in one round trip; connectionsFromJson turns it back into Connection values.
 */
export const CONNECTIONS_JSON_SQL = `(SELECT coalesce(json_agg(json_build_object('id', c.id, 'tenantId', c.tenant_id, 'userId', c.user_id,
  'provider', c.provider, 'status', c.status, 'externalUserId', c.external_user_id, 'scopes', c.scopes, 'connectedAt', c.connected_at,
  'lastSyncAt', c.last_sync_at, 'lastError', c.last_error, 'syncedAt', s.activities_synced_at)), '[]') FROM ${FROM}
  WHERE c.tenant_id = $1 AND c.user_id = $2)`;

type Json<T> = { [K in keyof T]: T[K] extends Date | null ? string | null : T[K] };
const date = (value: string | null) => (value === null ? null : new Date(value));

export function connectionsFromJson(rows: Json<Connection>[]): Connection[] {
  return rows.map((r) => ({ ...r, connectedAt: date(r.connectedAt), lastSyncAt: date(r.lastSyncAt), syncedAt: date(r.syncedAt) }));
}

export async function listConnections(db: Queryable, owner: Owner): Promise<Connection[]> {
  const { rows } = await db.query<Connection>({
    name: "fitness-list-connections",
    text: `SELECT ${COLUMNS} FROM ${FROM} WHERE c.tenant_id = $1 AND c.user_id = $2`,
    values: [owner.tenantId, owner.userId],
  });
  return rows;
}

export async function findConnection(db: Queryable, owner: Owner, provider: ProviderId): Promise<Connection | undefined> {
  const { rows } = await db.query<Connection>({
    name: "fitness-find-connection",
    text: `SELECT ${COLUMNS} FROM ${FROM} WHERE c.tenant_id = $1 AND c.user_id = $2 AND c.provider = $3`,
    values: [owner.tenantId, owner.userId, provider],
  });
  return rows[0];
}

/** Creates or revives the connection as connected (with its sync-state row); returns it. */
export async function saveConnected(
  db: Queryable,
  owner: Owner,
  provider: ProviderId,
  grant: { externalUserId: string | null; scopes: string[] },
): Promise<Connection> {
  const { rows } = await db.query<Omit<Connection, "syncedAt">>(
    `INSERT INTO provider_connections AS c (tenant_id, user_id, provider, status, external_user_id, scopes, connected_at)
     VALUES ($1, $2, $3, 'connected', $4, $5, now())
     ON CONFLICT (tenant_id, user_id, provider) DO UPDATE SET status = 'connected', external_user_id = EXCLUDED.external_user_id,
       scopes = CASE WHEN cardinality(EXCLUDED.scopes) > 0 THEN EXCLUDED.scopes ELSE c.scopes END,
       connected_at = now(), last_error = NULL, updated_at = now()
     RETURNING ${COLUMNS.replace(', s.activities_synced_at AS "syncedAt"', "")}`,
    [owner.tenantId, owner.userId, provider, grant.externalUserId, grant.scopes],
  );
  const connection = rows[0]!;
  const { rows: state } = await db.query<{ syncedAt: Date | null }>(
    `INSERT INTO provider_sync_state (connection_id) VALUES ($1) ON CONFLICT (connection_id) DO UPDATE SET updated_at = now()
     RETURNING activities_synced_at AS "syncedAt"`,
    [connection.id],
  );
  return { ...connection, syncedAt: state[0]!.syncedAt };
}

export async function markStatus(db: Queryable, connectionId: string, status: ConnectionStatus, lastError: string | null): Promise<void> {
  await db.query("UPDATE provider_connections SET status = $2, last_error = $3, updated_at = now() WHERE id = $1", [connectionId, status, lastError]);
}

export async function markSynced(db: Queryable, connectionId: string): Promise<void> {
  await db.query("UPDATE provider_connections SET last_sync_at = now(), updated_at = now() WHERE id = $1", [connectionId]);
}

/** Deletes the connection; its tokens, sync state and cached data go with it (ON DELETE CASCADE). */
export async function deleteConnection(db: Queryable, owner: Owner, provider: ProviderId): Promise<boolean> {
  const { rowCount } = await db.query("DELETE FROM provider_connections WHERE tenant_id = $1 AND user_id = $2 AND provider = $3", [
    owner.tenantId,
    owner.userId,
    provider,
  ]);
  return (rowCount ?? 0) > 0;
}
