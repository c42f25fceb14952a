import { z } from "zod";
import { listApiKeys, type ApiKeyRecord } from "../../identity/api-keys.js";
import { defineTool, isoTimestamp, toIso } from "./tool.js";

const output = z.object({
  keys: z.array(
    z.object({
      prefix: z.string().describe("The visible start of the key, e.g. pk_live_AbCd1234; the secret part is never shown"),
      name: z.string(),
      status: z.enum(["active", "revoked", "expired"]),
      current: z.boolean().describe("True for the key authenticating this call"),
      createdAt: z.iso.datetime(),
      lastUsedAt: isoTimestamp,
      expiresAt: isoTimestamp,
    }),
  ),
});

export const listOwnApiKeys = defineTool({
  name: "list_api_keys",
  title: "My API keys",
  description: "Lists the caller's own API keys in this tenant: prefix, name, status, created, last used, expiry.",
  requiredScope: "fitness:read",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({}),
  output,
  async run(_input, { principal, db }) {
    const now = Date.now();
    const keys = await listApiKeys(db, principal.tenant.id, principal.userId);
    return {
      keys: keys.map((key) => ({
        prefix: key.prefix,
        name: key.name,
        status: keyStatus(key, now),
        current: key.id === principal.apiKey?.id,
        createdAt: key.createdAt.toISOString(),
        lastUsedAt: toIso(key.lastUsedAt),
        expiresAt: toIso(key.expiresAt),
      })),
    };
  },
});

function keyStatus(key: ApiKeyRecord, now: number): "active" | "revoked" | "expired" {
  if (key.revokedAt) return "revoked";
  return key.expiresAt && key.expiresAt.getTime() <= now ? "expired" : "active";
}
