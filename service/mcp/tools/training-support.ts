// Shared by the training tools: who owns the data, the clock, the provenance block every answer carries.
import { z } from "zod";
import type { Principal } from "../../identity/principal.js";
import type { Owner } from "../../training/inputs.js";
import { ToolError } from "./tool.js";

export function ownerOf(principal: Principal): Owner {
  return { tenantId: principal.tenant.id, userId: principal.userId };
}

/** Tools compute "today" in the athlete's local calendar from this instant. */
export const now = (): number => Date.now();

export const provenance = {
  estimated: z.array(z.string()).describe("Inputs that were estimated (e.g. FTP from the best 20-min power)"),
  missing: z.array(z.string()).describe("Inputs that were not available, so parts of the answer are absent or less certain"),
};

export const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** For analyses that can keep their result in insights (`save: true`): then they write. */
export const mayStoreInsight = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;

/** Setting a tenant-wide value is for owners and admins. */
export function requireTenantAdmin(principal: Principal, action: string): void {
  if (principal.account.role === "member") throw new ToolError(`Only a tenant owner or admin may ${action}; use scope "user" for your own values.`);
}

export function notFound(what: string, id: string): never {
  throw new ToolError(`No ${what} with id ${id} for this account. List them first to get a valid id.`);
}
