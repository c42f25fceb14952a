// Events across instances through PostgreSQL: a writer NOTIFYs on a channel (inside its transaction when it
// has one: delivered at commit), and every instance LISTENs on one dedicated connection per channel and
// hands each event to the subscribers of its key on that instance. Process memory alone would miss an
// event raised on another instance behind the load balancer. Payloads are JSON and must stay small
// (PostgreSQL caps them near 8 kB): name what changed, and let the subscriber read it.
import type pg from "pg";
import type { Logger } from "winston";
import type { Queryable } from "./pool.js";

export interface Channel<E> {
  /** NOTIFYs `event` on this channel through `db` (a transaction's client delays it to the commit). */
  publish(db: Queryable, event: E): Promise<void>;
  /**
   * Calls `handler` for every event with this key, from any instance, and `ended` once if the channel
   * closes first (the instance is shutting down). Returns the unsubscribe.
   */
  subscribe(key: string, handler: (event: E) => void, ended: () => void): Promise<() => void>;
  /** Ends every subscription and the listener; idempotent. Called before the pool ends. */
  close(): Promise<void>;
}

export interface ChannelOptions<E> {
  /** The PostgreSQL channel name: a plain identifier. */
  name: string;
  /** Which subscribers an event is for. */
  keyOf(event: E): string;
}

/** NOTIFY on a channel by name, for writers that hold no Channel (the listening side is createChannel). */
export async function notify(db: Queryable, channel: string, event: unknown): Promise<void> {
  await db.query("SELECT pg_notify($1, $2)", [channel, JSON.stringify(event)]);
}

const RECONNECT_DELAY_MS = 1_000;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * LISTENs on one connection of its own (checked out of the pool for good, so it authenticates exactly as
 * the pool does), opened with the first subscriber: an instance nobody subscribes on holds none.
 */
export function createChannel<E>(pool: pg.Pool, logger: Logger, { name, keyOf }: ChannelOptions<E>): Channel<E> {
  if (!IDENTIFIER.test(name)) throw new Error(`channel name ${name} is not a plain identifier`);
  const handlers = new Map<string, Set<(event: E) => void>>();
  const endings = new Map<(event: E) => void, () => void>();
  let listening: Promise<pg.PoolClient> | undefined;
  let closed = false;

  function dispatch(message: pg.Notification): void {
    if (message.channel !== name || !message.payload) return;
    let event: E;
    try {
      event = JSON.parse(message.payload) as E;
    } catch {
      return;
    }
    for (const handler of handlers.get(keyOf(event)) ?? []) handler(event);
  }

  function listen(): Promise<pg.PoolClient> {
    listening ??= (async () => {
      const client = await pool.connect();
      client.on("notification", dispatch);
      client.on("error", (error) => {
        // The connection is gone: hand it back as broken and listen again while anyone is subscribed.
        logger.warn("notification listener lost its database connection", { error, channel: name });
        client.removeListener("notification", dispatch);
        client.release(error);
        listening = undefined;
        if (!closed && handlers.size > 0) setTimeout(() => void listen().catch(() => undefined), RECONNECT_DELAY_MS).unref();
      });
      await client.query(`LISTEN ${name}`);
      return client;
    })().catch((error: unknown) => {
      listening = undefined;
      throw error;
    });
    return listening;
  }

  return {
    publish: (db, event) => notify(db, name, event),
    async subscribe(key, handler, ended) {
      if (closed) throw new Error(`channel ${name} is closed`);
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
        await client.query(`UNLISTEN ${name}`).catch(() => undefined);
        client.release();
      }
    },
  };
}
