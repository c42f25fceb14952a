// Connection events across instances (db/notifications.ts): the instance that completes a connection
// NOTIFYs inside its transaction (delivered at commit); every instance hands each event to the streams of
// that user open on it. Process memory alone would miss a callback that lands on another instance.
import { notify, type NotificationListener } from "../db/notifications.js";
import type { Queryable } from "../db/pool.js";
import type { ConnectionStatus, Owner } from "./connections.js";
import type { ProviderId } from "./model.js";

export const CONNECTION_CHANNEL = "pierre_connection_events";

export interface ConnectionEvent extends Owner {
  provider: ProviderId;
  status: ConnectionStatus;
}

export function publishConnectionEvent(db: Queryable, event: ConnectionEvent): Promise<void> {
  return notify(db, CONNECTION_CHANNEL, event);
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

export function createConnectionEvents(notifications: NotificationListener): ConnectionEvents {
  const channel = notifications.channel<ConnectionEvent>({ name: CONNECTION_CHANNEL, keyOf: ownerKey });
  return {
    subscribe: (owner, handler, ended) => channel.subscribe(ownerKey(owner), handler, ended),
    close: () => channel.close(),
  };
}
