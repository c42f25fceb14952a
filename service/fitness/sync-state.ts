// provider_sync_state: a connection's sync cursor, when it last synced, its cached athlete profile, and the
// lease that keeps two instances from syncing one connection at once.
import type { Queryable } from "../db/pool.js";
import type { AthleteProfile } from "./model.js";

export interface SyncState {
  activitiesCursor: string | null;
  syncedAt: Date | null;
  sleepSyncedAt: Date | null;
  profile: AthleteProfile | null;
  profileSyncedAt: Date | null;
  leaseUntil: Date | null;
}

const COLUMNS = `activities_cursor AS "activitiesCursor", activities_synced_at AS "syncedAt", sleep_synced_at AS "sleepSyncedAt", profile, profile_synced_at AS "profileSyncedAt",
  sync_lease_until AS "leaseUntil"`;

export async function readSyncState(db: Queryable, connectionId: string): Promise<SyncState | undefined> {
  const { rows } = await db.query<SyncState>({
    name: "fitness-read-sync-state",
    text: `SELECT ${COLUMNS} FROM provider_sync_state WHERE connection_id = $1`,
    values: [connectionId],
  });
  return rows[0];
}

/** Takes the lease unless another holder's is still running; returns the state when taken. */
export async function takeLease(db: Queryable, connectionId: string, holder: string, seconds: number): Promise<SyncState | undefined> {
  const { rows } = await db.query<SyncState>(
    `UPDATE provider_sync_state SET sync_lease_until = now() + make_interval(secs => $3), sync_lease_owner = $2, updated_at = now()
     WHERE connection_id = $1 AND (sync_lease_until IS NULL OR sync_lease_until < now()) RETURNING ${COLUMNS}`,
    [connectionId, holder, seconds],
  );
  return rows[0];
}

/** Extends a lease its holder still has; false when it lapsed and another instance took it. */
export async function renewLease(db: Queryable, connectionId: string, holder: string, seconds: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE provider_sync_state SET sync_lease_until = now() + make_interval(secs => $3)
     WHERE connection_id = $1 AND sync_lease_owner = $2 AND sync_lease_until > now()`,
    [connectionId, holder, seconds],
  );
  return rowCount === 1;
}

/**
 * Inside the transaction that stores a sync: "held" while `holder`'s lease is still running, and then the
 * rows stay locked until commit, so no other instance can take the lease between this check and the
 * writes. The connection row is locked first, then its sync state: the order in which a disconnect's
 * cascading delete takes them, so a disconnect during the sync waits or wins, and never deadlocks with it.
 */
export async function lockHeldLease(db: Queryable, connectionId: string, holder: string): Promise<"held" | "lost" | "disconnected"> {
  const connection = await db.query("SELECT 1 FROM provider_connections WHERE id = $1 FOR KEY SHARE", [connectionId]);
  if (connection.rowCount !== 1) return "disconnected";
  const { rowCount } = await db.query(
    "SELECT 1 FROM provider_sync_state WHERE connection_id = $1 AND sync_lease_owner = $2 AND sync_lease_until > now() FOR UPDATE",
    [connectionId, holder],
  );
  return rowCount === 1 ? "held" : "lost";
}

export async function releaseLease(db: Queryable, connectionId: string, holder: string): Promise<void> {
  await db.query(
    "UPDATE provider_sync_state SET sync_lease_until = NULL, sync_lease_owner = NULL WHERE connection_id = $1 AND sync_lease_owner = $2",
    [connectionId, holder],
  );
}

export async function saveSynced(db: Queryable, connectionId: string, done: { cursor: string | null; profile: AthleteProfile | null }): Promise<void> {
  await db.query(
    `UPDATE provider_sync_state SET activities_cursor = COALESCE($2, activities_cursor), activities_synced_at = now(), sleep_synced_at = now(),
       profile = COALESCE($3, profile), profile_synced_at = CASE WHEN $3::jsonb IS NULL THEN profile_synced_at ELSE now() END, updated_at = now()
     WHERE connection_id = $1`,
    [connectionId, done.cursor, done.profile === null ? null : JSON.stringify(done.profile)],
  );
}
