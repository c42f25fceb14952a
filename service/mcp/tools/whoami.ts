import { z } from "zod";
import { TIERS } from "../../identity/tiers.js";
import { principalLimits } from "../../ratelimit/index.js";
import { defineTool } from "./tool.js";

const output = z.object({
  userId: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(["owner", "admin", "member"]),
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string(), tier: z.enum(TIERS) }),
  tier: z.enum(TIERS).describe("The tier this credential runs at"),
  authMethod: z.enum(["oauth", "api_key"]),
  scopes: z.array(z.string()),
  limits: z
    .array(
      z.object({
        scope: z.enum(["api_key", "user", "tenant"]).describe("Whose counter: this API key, this user (OAuth), or the whole tenant"),
        window: z.enum(["minute", "month"]).describe("Calendar minute or calendar month, UTC"),
        limit: z.number().int(),
        used: z.number().int().nullable().describe("Requests counted in the current window, this one included; null if unavailable"),
        resetsInSeconds: z.number().int().nullable(),
      }),
    )
    .describe("Request limits that apply to this credential and their usage"),
});

export const whoami = defineTool({
  name: "whoami",
  title: "Who am I",
  description:
    "Returns the authenticated account: user, tenant, tier, how the call was authenticated, granted scopes, " +
    "and request usage against the per-minute and monthly limits.",
  requiredScope: "fitness:read",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({}),
  output,
  // The account and tenant come with the verified credential (kept current by the credential epoch), the
  // usage with this request's rate-limit charge: the tool needs no query of its own.
  async run(_input, { principal, rateLimit }) {
    const usage = new Map(rateLimit.usage.map((bucket) => [bucket.bucket, bucket]));
    return {
      userId: principal.userId,
      ...principal.account,
      tenant: principal.tenant,
      tier: principal.tier,
      authMethod: principal.via,
      scopes: principal.scopes,
      limits: principalLimits(principal).map((limit) => ({
        scope: limit.scope,
        window: limit.window,
        limit: limit.max,
        used: usage.get(limit.bucket)?.count ?? null,
        resetsInSeconds: usage.get(limit.bucket)?.resetSeconds ?? null,
      })),
    };
  },
});
