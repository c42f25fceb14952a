// Connection events across instances: the instance that completes a connection NOTIFYs inside its
// transaction (delivered at commit); every instance LISTENs on one dedicated connection and hands each
// event to the streams of that user open on it. Process memory alone would miss a callback that lands
// on another instance behind the load balancer.
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
