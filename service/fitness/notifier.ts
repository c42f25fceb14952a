// Connection events across instances: the instance that completes a connection NOTIFYs inside its
// transaction (delivered at commit); every instance LISTENs on one dedicated connection and hands each
// event to the streams of that user open on it. Process memory alone would miss a callback that lands
// on another instance behind the load balancer.
import type pg from "pg";
import type { Logger } from "winston";
import type { Queryable } from "../db/pool.js";
import type { ConnectionStatus, Owner } from "./connections.js";
import type { ProviderId } from "./model.js";

export const CONNECTION_CHANNEL = "pierre_connection_events";

export interface ConnectionEvent extends Owner {
  provider: ProviderId;
  status: ConnectionStatus;
}

export async function publishConnectionEvent(db: Queryable, event: ConnectionEvent): Promise<void> {
  await db.query("SELECT pg_notify($1, $2)", [CONNECTION_CHANNEL, JSON.stringify(event)]);
}

export type ConnectionEventHandler = (event: ConnectionEvent) => void;

export interface ConnectionEvents {
  /**
   * Calls `handler` for every event of this owner, from any instance, and `ended` once if the events close
   * first (the instance is shutting down: end the stream so the client reconnects elsewhere). Returns the
   * unsubscribe.
   */
  subscribe(owner: Owner, handler: ConnectionEventHandler, ended: () => void): Promise<() => void>;
  /** Ends every subscription and the listener; idempotent. Called before the server drains. */
  close(): Promise<void>;
}

const ownerKey = (owner: Owner) => `${owner.tenantId}|${owner.userId}`;
const RECONNECT_DELAY_MS = 1_000;

/**
 * LISTENs on one connection of its own (checked out of the pool for good, so it authenticates exactly as
 * the pool does), opened with the first subscriber: an instance nobody streams from holds none.
 */
export function createConnectionEvents(pool: pg.Pool, logger: Logger): ConnectionEvents {
  const handlers = new Map<string, Set<ConnectionEventHandler>>();
  const endings = new Map<ConnectionEventHandler, () => void>();
  let listening: Promise<pg.PoolClient> | undefined;
  let closed = false;

  function dispatch(message: pg.Notification): void {
    if (message.channel !== CONNECTION_CHANNEL || !message.payload) return;
    let event: ConnectionEvent;
    try {
      event = JSON.parse(message.payload) as ConnectionEvent;
    } catch {
      return;
    }
    for (const handler of handlers.get(ownerKey(event)) ?? []) handler(event);
  }

  function listen(): Promise<pg.PoolClient> {
    listening ??= (async () => {
      const client = await pool.connect();
      client.on("notification", dispatch);
      client.on("error", (error) => {
        // The connection is gone: hand it back as broken and listen again while anyone is subscribed.
        logger.warn("notification listener lost its database connection", { error });
        client.removeListener("notification", dispatch);
        client.release(error);
        listening = undefined;
        if (!closed && handlers.size > 0) setTimeout(() => void listen().catch(() => undefined), RECONNECT_DELAY_MS).unref();
      });
      await client.query(`LISTEN ${CONNECTION_CHANNEL}`);
      return client;
    })().catch((error: unknown) => {
      listening = undefined;
      throw error;
    });
    return listening;
  }

  return {
    async subscribe(owner, handler, ended) {
      if (closed) throw new Error("connection events are closed");
      const key = ownerKey(owner);
      const set = handlers.get(key) ?? new Set();
      set.add(handler);
      handlers.set(key, set);
      endings.set(handler, ended);
      try {
        await listen();
      } catch (error) {
        unsubscribe();
        throw error;
      }
      function unsubscribe() {
        set.delete(handler);
        endings.delete(handler);
        if (set.size === 0) handlers.delete(key);
      }
      return unsubscribe;
    },
    async close() {
      closed = true;
      for (const ended of [...endings.values()]) ended();
      endings.clear();
      handlers.clear();
      const client = await listening?.catch(() => undefined);
      listening = undefined;
      if (client) {
        client.removeListener("notification", dispatch);
        await client.query(`UNLISTEN ${CONNECTION_CHANNEL}`).catch(() => undefined);
        client.release();
      }
    },
  };
}
