// Accounts and raw MCP requests: a tenant with a member and an API key, one JSON-RPC POST to /mcp, and a
// tools/call's structured result or its error text.
import type pg from "pg";
import { expect } from "vitest";
import { createApiKey, type NewApiKey } from "../../service/identity/api-keys.js";
import { createTenant, type Tenant } from "../../service/identity/tenants.js";
import type { Tier } from "../../service/identity/tiers.js";
import { addMembership, createUser, type User } from "../../service/identity/users.js";

export interface Account {
  tenant: Tenant;
  user: User;
  apiKey: string;
  apiKeyPrefix: string;
}

/** A tenant with one member (owner) holding one API key. */
export async function createAccount(
  pool: pg.Pool,
  slug: string,
  options: { tenantTier?: Tier; userTier?: Tier; key?: Partial<Omit<NewApiKey, "tenantId" | "userId">> } = {},
): Promise<Account> {
  const tenant = await createTenant(pool, { slug, name: `Tenant ${slug}`, tier: options.tenantTier });
  const user = await createUser(pool, { email: `${slug}@example.com`, password: "correct horse battery", tier: options.userTier }, 4);
  await addMembership(pool, { tenantId: tenant.id, userId: user.id, role: "owner" });
  const { key, record } = await createApiKey(pool, { tenantId: tenant.id, userId: user.id, name: `${slug} key`, ...options.key });
  return { tenant, user, apiKey: key, apiKeyPrefix: record.prefix };
}

export const MCP_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-11-25",
};

let nextId = 1;

/** POSTs one JSON-RPC request (or any raw body when `body` is a string) to /mcp. */
export function postMcp(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/mcp`, {
    method: "POST",
    headers: { ...MCP_HEADERS, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function toolCall(name: string, args: Record<string, unknown> = {}) {
  return { jsonrpc: "2.0", id: nextId++, method: "tools/call", params: { name, arguments: args } };
}

export interface ToolResult<T = Record<string, unknown>> {
  structuredContent: T;
  isError?: boolean;
  content: { type: string; text: string }[];
}

export async function callTool<T = Record<string, unknown>>(baseUrl: string, apiKey: string, name: string, args: Record<string, unknown> = {}): Promise<ToolResult<T>> {
  const response = await postMcp(baseUrl, toolCall(name, args), { "x-api-key": apiKey });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { result?: ToolResult<T>; error?: { code: number; message: string } };
  if (body.error) throw new Error(`JSON-RPC ${body.error.code}: ${body.error.message}`);
  return body.result!;
}

/** A successful call's structured result. */
export async function callOk<T = Record<string, unknown>>(baseUrl: string, apiKey: string, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = await callTool<T>(baseUrl, apiKey, name, args);
  expect(result.isError, result.content[0]?.text).toBeFalsy();
  return result.structuredContent;
}

/** A failed call's message (a tool error). */
export async function callError(baseUrl: string, apiKey: string, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await callTool(baseUrl, apiKey, name, args);
  expect(result.isError).toBe(true);
  return result.content[0].text;
}
