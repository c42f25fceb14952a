// Sync: brings a connection's cached data (activity list, sleep, HRV, profile) up to date when a tool needs
// fresher data than the cache lifetimes allow. Incremental from the provider's cursor; one sync of a
// connection at a time across instances (lease in provider_sync_state); the provider's rate-limit state
// is shared (provider_rate_limits), and when a provider says wait, callers get the cache and the time
// fresh data will be available instead of an error. Everything a sync read is stored in one transaction,
// cursor included, so a failed sync leaves the previous state whole.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Logger } from "winston";
import { withTransaction } from "../db/pool.js";
import { ProviderError, RateLimitedError, ReauthorizationRequiredError, UnsupportedOperationError } from "../providers/errors.js";
import type { ProviderRegistry } from "../providers/index.js";
import type { FitnessProvider, ProviderAuth } from "../providers/types.js";
import type { TokenAccess } from "./access.js";
import { findStreams, saveActivityDetail, saveListedDetail, upsertActivities, upsertHrv, upsertSleep, type StoredActivity } from "./activity-store.js";
import { listConnections, markStatus, markSynced, type Connection, type Owner } from "./connections.js";
import type { Activity, ActivityStreams, AthleteProfile, HrvRecord, Lap, SleepRecord } from "./model.js";
import { blockedUntil, recordRateLimit } from "./rate-limits.js";
import { lockHeldLease, readSyncState, releaseLease, renewLease, saveSynced, takeLease, type SyncState } from "./sync-state.js";

/** Cache lifetimes (shared/reference/domain.md): how old cached data may be before a read syncs. */
export const LIFETIMES_MS = { activityList: 15 * 60_000, profile: 24 * 3600_000, activityDetail: 3600_000 } as const;
/**
 * A sync's lease: renewed every third of it while the sync runs (a Garmin backfill or a slow provider can
 * outlive one), so only a crashed or stalled instance's lease lapses, at most this long after its last renewal.
 */
const LEASE_SECONDS = 120;
/** How long a read waits for another instance's sync of the same connection before answering from the cache. */
const LEASE_WAIT_MS = 15_000;
/** Pages one sync reads at most; the stored cursor resumes the rest next time. */
const MAX_PAGES = 50;
const DAY_MS = 86_400_000;
/** How far back the first sync reads sleep: the synthetic athlete's whole history, 30 days elsewhere. */
const initialSleepDays = (provider: FitnessProvider) => (provider.id === "synthetic" ? 730 : 30);

/** This instance's lease lapsed during the sync and another instance took it: what was read is not stored. */
class LeaseLostError extends Error {}

/** The connection was deleted while it was being synced. */
export class ConnectionRemovedError extends Error {
  constructor(readonly provider: string) {
    super(`${provider} was disconnected`);
  }
}

export interface Freshness {
  syncedAt: Date | null;
  /** The cache is within its lifetime. */
  fresh: boolean;
  /** When the provider allows calls again (it said wait), else null. */
  freshDataAvailableAt: Date | null;
  /** Why the data may be stale, in words a model can relay; null when fresh. */
  note: string | null;
}

export interface SyncDeps {
  pool: pg.Pool;
  registry: ProviderRegistry;
  access: TokenAccess;
  logger: Logger;
  now: () => number;
  /** Polling interval while another instance holds a connection's lease. */
  leasePollMs?: number;
  /** The lease's length (default LEASE_SECONDS); tests shorten it. */
  leaseSeconds?: number;
}

export interface SyncService {
  /** Syncs the connection if its cache is older than the activity-list lifetime. Throws ReauthorizationRequiredError. */
  ensureFresh(connection: Connection): Promise<Freshness>;
  /** Laps and (when asked) streams of one stored activity, read from the provider at most hourly. */
  detail(connection: Connection, activity: StoredActivity, streams: boolean): Promise<{ laps: Lap[] | null; streams: ActivityStreams | null; note: string | null }>;
  profile(connection: Connection): Promise<AthleteProfile | null>;
  /**
   * Brings every usable connection of the owner up to date (ensureFresh each), for answers computed from all
   * of their data (the analyses): a connection that needs reauthorization or was just removed is left as
   * it is, and a provider that says wait leaves its cache as it is (ensureFresh).
   */
  refreshOwner(owner: Owner): Promise<void>;
}

interface Gathered {
  activities: Activity[];
  cursor: string | null;
  sleep: SleepRecord[];
  hrv: HrvRecord[];
  profile: AthleteProfile | null;
}

export function createSyncService(deps: SyncDeps): SyncService {
  const holder = randomUUID();
  const pollMs = deps.leasePollMs ?? 100;
  const leaseSeconds = deps.leaseSeconds ?? LEASE_SECONDS;

  function keepLease(connectionId: string): () => void {
    const renewal = setInterval(() => {
      renewLease(deps.pool, connectionId, holder, leaseSeconds).catch((error: unknown) => deps.logger.warn("renewing a sync lease failed", { error }));
    }, (leaseSeconds * 1000) / 3);
    renewal.unref();
    return () => clearInterval(renewal);
  }

  async function gather(provider: FitnessProvider, auth: ProviderAuth, state: SyncState): Promise<Gathered> {
    const activities: Activity[] = [];
    let cursor = state.activitiesCursor;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await provider.listActivities(auth, { cursor });
      activities.push(...result.activities);
      cursor = result.cursor;
      if (!result.hasMore) break;
    }
    const today = new Date(deps.now());
    // Two days back from the last sleep sync: a night is often uploaded (or rescored) the day after.
    const since = state.sleepSyncedAt ? new Date(state.sleepSyncedAt.getTime() - 2 * DAY_MS) : new Date(today.getTime() - initialSleepDays(provider) * DAY_MS);
    const range = { from: since.toISOString().slice(0, 10), to: today.toISOString().slice(0, 10) };
    const sleep = provider.capabilities.sleep ? await provider.listSleep(auth, range) : [];
    const hrv = provider.capabilities.hrv ? await provider.listHrv(auth, range) : [];
    const profileStale = !state.profileSyncedAt || deps.now() - state.profileSyncedAt.getTime() > LIFETIMES_MS.profile;
    const profile = profileStale ? await provider.getAthlete(auth) : null;
    return { activities, cursor, sleep, hrv, profile };
  }

  async function waitForOtherSync(connection: Connection): Promise<void> {
    const deadline = deps.now() + LEASE_WAIT_MS;
    for (;;) {
      const state = await readSyncState(deps.pool, connection.id);
      if (!state?.leaseUntil || state.leaseUntil.getTime() < deps.now() || deps.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  const stale = (syncedAt: Date | null, freshDataAvailableAt: Date | null, note: string): Freshness => ({ syncedAt, fresh: false, freshDataAvailableAt, note });

  async function ensureFresh(connection: Connection): Promise<Freshness> {
    if (connection.status === "reauthorization_required") throw new ReauthorizationRequiredError(connection.provider, "token", null);
    const isFresh = (at: Date | null) => at !== null && deps.now() - at.getTime() < LIFETIMES_MS.activityList;
    // The hot path: the connection was read with its sync time, so a fresh cache costs no query here.
    if (isFresh(connection.syncedAt)) return { syncedAt: connection.syncedAt, fresh: true, freshDataAvailableAt: null, note: null };
    const provider = deps.registry.get(connection.provider);
    const state = await readSyncState(deps.pool, connection.id);
    const syncedAt = state?.syncedAt ?? null;
    if (!provider || !state) return stale(syncedAt, null, `${connection.provider} is not available on this server; showing cached data`);
    if (isFresh(syncedAt)) return { syncedAt, fresh: true, freshDataAvailableAt: null, note: null };

    const blocked = await blockedUntil(deps.pool, connection.provider);
    if (blocked) return stale(syncedAt, blocked, `${connection.provider} asked us to wait (rate limit); showing data cached before that`);

    const leased = await takeLease(deps.pool, connection.id, holder, leaseSeconds);
    if (!leased) {
      // Another instance is syncing this connection: its result is what this caller wants too.
      await waitForOtherSync(connection);
      const after = await readSyncState(deps.pool, connection.id);
      const at = after?.syncedAt ?? null;
      return isFresh(at) ? { syncedAt: at, fresh: true, freshDataAvailableAt: null, note: null } : stale(at, null, "a sync is still running; showing cached data");
    }
    const stopRenewing = keepLease(connection.id);
    try {
      const gathered = await deps.access.withAuth(connection, (auth) => gather(provider, auth, leased));
      await withTransaction(deps.pool, async (db) => {
        // Fenced: two syncs of one connection never both store, even if this instance stalled past its lease.
        const lease = await lockHeldLease(db, connection.id, holder);
        if (lease === "disconnected") throw new ConnectionRemovedError(connection.provider);
        if (lease === "lost") throw new LeaseLostError();
        await upsertActivities(db, connection, gathered.activities);
        for (const activity of gathered.activities) if (activity.streams) await saveListedDetail(db, connection, { ...activity, streams: activity.streams });
        await upsertSleep(db, connection, gathered.sleep);
        await upsertHrv(db, connection, gathered.hrv);
        await saveSynced(db, connection.id, { cursor: gathered.cursor, profile: gathered.profile });
        await markSynced(db, connection.id);
      });
      return { syncedAt: new Date(deps.now()), fresh: true, freshDataAvailableAt: null, note: null };
    } catch (error) {
      if (error instanceof LeaseLostError) return stale(syncedAt, null, "another instance took this sync over; showing cached data");
      if (error instanceof RateLimitedError) {
        const until = new Date(deps.now() + error.retryAfterMs);
        await recordRateLimit(deps.pool, { provider: connection.provider, observedAt: new Date(deps.now()), windows: [], blockedUntil: until });
        return stale(syncedAt, until, `${connection.provider} asked us to wait (rate limit); showing data cached before that`);
      }
      // Disconnected (on any instance) while this sync ran: its rows have nowhere to go, and nothing to answer.
      if ((error as { code?: string }).code === "23503") throw new ConnectionRemovedError(connection.provider);
      if (error instanceof ProviderError && !(error instanceof ReauthorizationRequiredError)) {
        deps.logger.warn("sync failed", { provider: connection.provider, kind: error.kind, error: error.message });
        await markStatus(deps.pool, connection.id, "connected", error.message);
        return stale(syncedAt, null, `${connection.provider} is not answering properly right now; showing cached data`);
      }
      throw error;
    } finally {
      stopRenewing();
      await releaseLease(deps.pool, connection.id, holder);
    }
  }

  async function detail(connection: Connection, activity: StoredActivity, streams: boolean) {
    const stored = streams ? await findStreams(deps.pool, connection, activity.id) : undefined;
    const recent = activity.detailFetchedAt !== null && deps.now() - activity.detailFetchedAt.getTime() < LIFETIMES_MS.activityDetail;
    if (recent && (!streams || stored)) return { laps: activity.laps, streams: stored ?? null, note: null };
    const provider = deps.registry.get(connection.provider);
    const cached = (note: string) => ({ laps: activity.laps, streams: stored ?? null, note });
    if (!provider || connection.status === "reauthorization_required") return cached("the provider connection is not usable; showing cached data");
    const blocked = await blockedUntil(deps.pool, connection.provider);
    if (blocked) return cached(`${connection.provider} asked us to wait until ${blocked.toISOString()}; showing cached data`);
    try {
      const read = await deps.access.withAuth(connection, (auth) => provider.getActivity(auth, activity.externalId, { streams }));
      await withTransaction(deps.pool, (db) => saveActivityDetail(db, connection, activity.id, read));
      return { laps: read.laps ?? null, streams: read.streams ?? null, note: null };
    } catch (error) {
      if (error instanceof UnsupportedOperationError) return cached(`${connection.provider} does not offer activity details`);
      if (error instanceof RateLimitedError) return cached(`${connection.provider} asked us to wait; showing cached data`);
      if (error instanceof ProviderError && !(error instanceof ReauthorizationRequiredError)) return cached(`${connection.provider} is not answering properly right now`);
      throw error;
    }
  }

  async function refreshOwner(owner: Owner): Promise<void> {
    const connections = (await listConnections(deps.pool, owner)).filter((c) => c.status === "connected");
    await Promise.all(
      connections.map((connection) =>
        ensureFresh(connection).catch((error: unknown) => {
          if (!(error instanceof ReauthorizationRequiredError || error instanceof ConnectionRemovedError)) throw error;
        }),
      ),
    );
  }

  return {
    ensureFresh,
    detail,
    refreshOwner,
    async profile(connection) {
      await ensureFresh(connection);
      return (await readSyncState(deps.pool, connection.id))?.profile ?? null;
    },
  };
}
