// Tools for the caller's provider connections: status, connect, disconnect.
import { z } from "zod";
import { CONNECTION_STATUSES, listConnections } from "../../fitness/connections.js";
import { PROVIDER_IDS, providerIdSchema } from "../../fitness/model.js";
import { PROVIDER_NAMES } from "../../fitness/pages.js";
import { defineTool, isoTimestamp, requireFitness, toIso, ToolError, type ToolContext } from "./tool.js";

const ownerOf = ({ principal }: ToolContext) => ({ tenantId: principal.tenant.id, userId: principal.userId });
const providerInput = providerIdSchema.describe(`One of ${PROVIDER_IDS.join(", ")} (synthetic: a generated demo athlete, no account needed)`);

const STATUS_NOTES: Partial<Record<(typeof CONNECTION_STATUSES)[number], string>> = {
  reauthorization_required: "the provider revoked or expired the authorization; call connect_provider again",
  error: "the last sync failed",
};

export const getConnectionStatus = defineTool({
  name: "get_connection_status",
  title: "Fitness provider connections",
  description:
    "Lists the fitness providers (Strava, Garmin, Fitbit, the synthetic demo athlete) and whether the caller has connected " +
    "each one in this tenant, with when it was connected and last synced, and whether the provider is available on this " +
    "server. reauthorization_required means the user must connect again.",
  requiredScope: "fitness:read",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({
    provider: providerInput.optional().describe("Only this provider; all providers when omitted"),
  }),
  output: z.object({
    connections: z.array(
      z.object({
        provider: providerIdSchema,
        status: z.enum([...CONNECTION_STATUSES, "not_connected"]),
        available: z.boolean(),
        connectedAt: isoTimestamp,
        lastSyncAt: isoTimestamp,
        note: z.string().nullable(),
      }),
    ),
  }),
  async run({ provider }, context) {
    const rows = await listConnections(context.db, ownerOf(context));
    const byProvider = new Map(rows.map((row) => [row.provider, row]));
    return {
      connections: PROVIDER_IDS.filter((name) => provider === undefined || name === provider).map((name) => {
        const row = byProvider.get(name);
        return {
          provider: name,
          status: row?.status ?? ("not_connected" as const),
          available: context.fitness?.registry.has(name) ?? false,
          connectedAt: toIso(row?.connectedAt ?? null),
          lastSyncAt: toIso(row?.lastSyncAt ?? null),
          note: (row && STATUS_NOTES[row.status]) ?? null,
        };
      }),
    };
  },
  summary: ({ connections }) =>
    connections.map((c) => `${PROVIDER_NAMES[c.provider]}: ${c.status.replace(/_/g, " ")}${c.available ? "" : " (not available on this server)"}`).join("\n"),
});

export const connectProvider = defineTool({
  name: "connect_provider",
  title: "Connect a fitness provider",
  description:
    "Starts connecting the caller's account at a fitness provider. For strava, fitbit and garmin it returns an " +
    "authorizationUrl: show it to the user, who opens it, consents at the provider and is sent back to this server " +
    "(the link works once, for 10 minutes). For synthetic the connection completes at once.",
  requiredScope: "fitness:write",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: z.strictObject({ provider: providerInput }),
  output: z.object({
    provider: providerIdSchema,
    status: z.enum(["authorization_required", "connected"]),
    authorizationUrl: z.string().nullable(),
    expiresInSeconds: z.number().int().nullable(),
  }),
  async run({ provider }, context) {
    const fitness = requireFitness(context);
    const started = await fitness.connect.start(ownerOf(context), provider);
    if (!started) {
      const available = [...fitness.registry.keys()].join(", ");
      throw new ToolError(`${provider} is not configured on this server. Available providers: ${available}.`);
    }
    if (started.kind === "authorize") {
      return { provider, status: "authorization_required" as const, authorizationUrl: started.authorizationUrl, expiresInSeconds: started.expiresInSeconds };
    }
    if (started.result.outcome !== "connected") throw new ToolError(`Connecting ${provider} failed (${started.result.outcome}); try again.`);
    return { provider, status: "connected" as const, authorizationUrl: null, expiresInSeconds: null };
  },
  summary: (o) =>
    o.status === "connected"
      ? `${PROVIDER_NAMES[o.provider]} is connected. Its data can now be read with get_activities, get_sleep and get_athlete.`
      : `Ask the user to open this link and approve access at ${PROVIDER_NAMES[o.provider]} within 10 minutes:\n${o.authorizationUrl}`,
});

export const disconnectProvider = defineTool({
  name: "disconnect_provider",
  title: "Disconnect a fitness provider",
  description:
    "Disconnects a fitness provider: revokes the authorization at the provider where it offers that, and deletes the " +
    "stored tokens and every activity, sleep and HRV record synced from it.",
  requiredScope: "fitness:write",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  input: z.strictObject({ provider: providerInput }),
  output: z.object({ provider: providerIdSchema, disconnected: z.boolean(), revokedAtProvider: z.boolean() }),
  async run({ provider }, context) {
    const { deleted, revoked } = await requireFitness(context).connect.disconnect(ownerOf(context), provider);
    return { provider, disconnected: deleted, revokedAtProvider: revoked };
  },
  summary: (o) =>
    o.disconnected
      ? `${PROVIDER_NAMES[o.provider]} is disconnected and its data deleted${o.revokedAtProvider ? "; access was revoked at the provider" : ""}.`
      : `${PROVIDER_NAMES[o.provider]} was not connected.`,
});
