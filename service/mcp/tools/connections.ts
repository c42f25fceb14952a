import { z } from "zod";
import { listProviderConnections, PROVIDERS } from "../repository.js";
import { defineTool, isoTimestamp, toIso } from "./tool.js";

const output = z.object({
  connections: z.array(
    z.object({
      provider: z.enum(PROVIDERS),
      status: z.enum(["connected", "pending", "disconnected", "error", "not_connected"]),
      connectedAt: isoTimestamp,
      lastSyncAt: isoTimestamp,
    }),
  ),
});

export const getConnectionStatus = defineTool({
  name: "get_connection_status",
  title: "Fitness provider connections",
  description:
    "Lists the fitness providers (Strava, Garmin, Fitbit) and whether the caller has connected each one in " +
    "this tenant, with when it was connected and last synced. Providers never connected are reported as " +
    "not_connected.",
  requiredScope: "fitness:read",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({
    provider: z.enum(PROVIDERS).optional().describe("Only this provider; all providers when omitted"),
  }),
  output,
  async run({ provider }, { principal, db }) {
    const rows = await listProviderConnections(db, principal.tenant.id, principal.userId);
    const byProvider = new Map(rows.map((row) => [row.provider, row]));
    return {
      connections: PROVIDERS.filter((name) => provider === undefined || name === provider).map((name) => {
        const row = byProvider.get(name);
        return {
          provider: name,
          status: row?.status ?? ("not_connected" as const),
          connectedAt: toIso(row?.connectedAt ?? null),
          lastSyncAt: toIso(row?.lastSyncAt ?? null),
        };
      }),
    };
  },
});
