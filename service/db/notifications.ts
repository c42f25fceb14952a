// Events across instances through PostgreSQL: a writer NOTIFYs on a channel (inside its transaction when it
// has one: delivered at commit), and every instance LISTENs and hands each event to the subscribers of its
// key on that instance. Process memory alone would miss an event raised on another instance behind the
// load balancer. Payloads are JSON and must stay small (PostgreSQL caps them near 8 kB): name what
// changed, and let the subscriber read it.
//
// An instance LISTENs on one connection for all its channels (a NotificationListener, built once by the
// composition root), so the connection notification streams and the A2A task events cost one pooled
// connection between them, not one each.
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
  /** Ends every subscription (each one's `ended` runs) and stops listening on the channel; idempotent. */
  close(): Promise<void>;
}

/** One LISTEN connection per instance, shared by its channels. */
export interface NotificationListener {
  /** A channel on this listener's connection; one per channel name. */
  channel<E>(options: ChannelOptions<E>): Channel<E>;
  /** Closes every channel (their subscribers' `ended` run) and releases the connection; idempotent. */
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

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** What the listener keeps of each open channel. */
interface Listened {
  dispatch(message: pg.Notification): void;
  subscribed(): boolean;
  close(): Promise<void>;
}

/**
 * The connection is checked out of the pool for good (so it authenticates exactly as the pool does) when
 * the first subscriber of any channel arrives: an instance nobody subscribes on holds none. A channel is
 * LISTENed on with its first subscriber. A lost connection is replaced, and its channels LISTENed on
 * again, while anyone is subscribed.
 */
export function createNotificationListener(pool: pg.Pool, logger: Logger, { reconnectDelayMs = 1_000 } = {}): NotificationListener {
  const channels = new Map<string, Listened>();
  /** The channels LISTENed on over the current connection, each settled once its LISTEN is. */
  const listening = new Map<string, Promise<void>>();
  let connection: Promise<pg.PoolClient> | undefined;
  let detach = () => {};
  let closed = false;

  const dispatch = (message: pg.Notification) => channels.get(message.channel)?.dispatch(message);

  function connect(): Promise<pg.PoolClient> {
    connection ??= (async () => {
      const client = await pool.connect();
      client.on("notification", dispatch);
      let gone = false;
      const lose = (error: Error) => {
        // Released at most once, whatever the client emits after its first error.
        if (gone) return;
        gone = true;
        // The connection is gone: hand it back as broken and listen again while anyone is subscribed.
        const lost = [...listening.keys()];
        logger.warn("notification listener lost its database connection", { error, channels: lost });
        client.removeListener("notification", dispatch);
        client.release(error);
        connection = undefined;
        listening.clear();
        const wanted = lost.filter((name) => channels.get(name)?.subscribed());
        if (!closed && wanted.length > 0) {
          setTimeout(() => void Promise.all(wanted.map((name) => listenOn(name))).catch(() => undefined), reconnectDelayMs).unref();
        }
      };
      client.on("error", lose);
      // Handed back to the pool on close, the client must not keep this listener's handlers.
      detach = () => {
        client.removeListener("notification", dispatch);
        client.removeListener("error", lose);
      };
      return client;
    })().catch((error: unknown) => {
      connection = undefined;
      throw error;
    });
    return connection;
  }

  function listenOn(name: string): Promise<void> {
    let listened = listening.get(name);
    if (!listened) {
      listened = (async () => {
        await (await connect()).query(`LISTEN ${name}`);
      })().catch((error: unknown) => {
        listening.delete(name);
        throw error;
      });
      listening.set(name, listened);
    }
    return listened;
  }

  async function unlisten(name: string): Promise<void> {
    const listened = listening.get(name);
    listening.delete(name);
    if (!listened || !connection) return;
    const client = await connection.catch(() => undefined);
    await client?.query(`UNLISTEN ${name}`).catch(() => undefined);
  }

  return {
    channel<E>({ name, keyOf }: ChannelOptions<E>): Channel<E> {
      if (!IDENTIFIER.test(name)) throw new Error(`channel name ${name} is not a plain identifier`);
      if (channels.has(name)) throw new Error(`channel ${name} already exists on this listener`);
      const handlers = new Map<string, Set<(event: E) => void>>();
      const endings = new Map<(event: E) => void, () => void>();
      let channelClosed = false;

      const channel: Channel<E> = {
        publish: (db, event) => notify(db, name, event),
        async subscribe(key, handler, ended) {
          if (channelClosed) throw new Error(`channel ${name} is closed`);
          const set = handlers.get(key) ?? new Set();
          set.add(handler);
          handlers.set(key, set);
          endings.set(handler, ended);
          try {
            await listenOn(name);
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
          if (channelClosed) return;
          channelClosed = true;
          channels.delete(name);
          for (const ended of [...endings.values()]) ended();
          endings.clear();
          handlers.clear();
          await unlisten(name);
        },
      };
      channels.set(name, {
        dispatch(message) {
          if (!message.payload) return;
          let event: E;
          try {
            event = JSON.parse(message.payload) as E;
          } catch {
            return;
          }
          for (const handler of handlers.get(keyOf(event)) ?? []) handler(event);
        },
        subscribed: () => handlers.size > 0,
        close: channel.close,
      });
      return channel;
    },

    async close() {
      closed = true;
      await Promise.all([...channels.values()].map((channel) => channel.close()));
      const client = await connection?.catch(() => undefined);
      connection = undefined;
      if (client) {
        detach();
        client.release();
      }
    },
  };
}
