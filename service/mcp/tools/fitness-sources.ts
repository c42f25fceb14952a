// What every data tool does before reading PostgreSQL: pick the caller's connections (one provider or all),
// bring each cache up to date when it is older than its lifetime, and report per provider how fresh the
// answer is, so the model can say "Strava asked us to wait; fresh data after 10:45".
import { z } from "zod";
import { listConnections, type Connection, type Owner } from "../../fitness/connections.js";
import { providerIdSchema, type ProviderId } from "../../fitness/model.js";
import { PROVIDER_NAMES } from "../../fitness/pages.js";
import { ConnectionRemovedError } from "../../fitness/sync.js";
import { ReauthorizationRequiredError } from "../../providers/errors.js";
import { isoTimestamp, requireFitness, toIso, ToolError, type ToolContext } from "./tool.js";

export const sourceSchema = z.object({
  provider: providerIdSchema,
  syncedAt: isoTimestamp,
  fresh: z.boolean(),
  freshDataAvailableAt: isoTimestamp,
  note: z.string().nullable(),
});
export type Source = z.infer<typeof sourceSchema>;

export const ownerOf = ({ principal }: ToolContext): Owner => ({ tenantId: principal.tenant.id, userId: principal.userId });

const reconnect = (provider: ProviderId) =>
  `${PROVIDER_NAMES[provider]} must be reconnected: the authorization was revoked or has expired. Call connect_provider with provider "${provider}".`;

/**
 * The caller's usable connections (synced as needed) and how fresh each one's data is. `synced`: some
 * connection was synced just now, so data read before this call is out of date. `preloaded`: the
 * connections when the caller read them already.
 */
export async function freshSources(
  context: ToolContext,
  provider: ProviderId | undefined,
  preloaded?: Connection[],
): Promise<{ connections: Connection[]; sources: Source[]; synced: boolean }> {
  const fitness = requireFitness(context);
  const all = preloaded ?? (await listConnections(context.db, ownerOf(context)));
  const chosen = all.filter((c) => (provider === undefined || c.provider === provider) && c.status !== "disconnected");
  if (chosen.length === 0) {
    throw new ToolError(
      provider
        ? `${PROVIDER_NAMES[provider]} is not connected. Call connect_provider with provider "${provider}" first.`
        : 'No fitness provider is connected. Call connect_provider (provider "synthetic" gives a demo athlete at once).',
    );
  }
  let synced = false;
  const sources = await Promise.all(
    chosen.map(async (connection): Promise<Source> => {
      try {
        const f = await fitness.sync.ensureFresh(connection);
        if (f.syncedAt?.getTime() !== connection.syncedAt?.getTime()) synced = true;
        return { provider: connection.provider, syncedAt: toIso(f.syncedAt), fresh: f.fresh, freshDataAvailableAt: toIso(f.freshDataAvailableAt), note: f.note };
      } catch (error) {
        if (error instanceof ConnectionRemovedError) throw new ToolError(`${PROVIDER_NAMES[connection.provider]} was just disconnected.`);
        if (!(error instanceof ReauthorizationRequiredError)) throw error;
        if (provider !== undefined) throw new ToolError(reconnect(connection.provider));
        return { provider: connection.provider, syncedAt: toIso(connection.lastSyncAt), fresh: false, freshDataAvailableAt: null, note: reconnect(connection.provider) };
      }
    }),
  );
  return { connections: chosen, sources, synced };
}

/** The sentences about stale sources, for a summary. */
export function sourceNotes(sources: Source[]): string {
  return sources
    .filter((s) => s.note)
    .map((s) => `${PROVIDER_NAMES[s.provider]}: ${s.note}${s.freshDataAvailableAt ? ` (fresh data after ${s.freshDataAvailableAt})` : ""}.`)
    .join("\n");
}
