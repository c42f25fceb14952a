// SQL the MCP tools read. Every query takes the tenant id AND the user id of the caller, and is named
// (prepared once per connection: tool calls are the hot path).
import type { Queryable } from "../db/pool.js";

export const PROVIDERS = ["strava", "garmin", "fitbit"] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface ProviderConnection {
  provider: Provider;
  status: "pending" | "connected" | "disconnected" | "error";
  connectedAt: Date | null;
  lastSyncAt: Date | null;
}

export async function listProviderConnections(db: Queryable, tenantId: string, userId: string): Promise<ProviderConnection[]> {
  const { rows } = await db.query<ProviderConnection>({
    name: "mcp-list-provider-connections",
    text: `SELECT provider, status, connected_at AS "connectedAt", last_sync_at AS "lastSyncAt"
     FROM provider_connections WHERE tenant_id = $1 AND user_id = $2`,
    values: [tenantId, userId],
  });
  return rows;
}
