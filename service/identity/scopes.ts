/** OAuth scopes of the MCP resource. API keys carry all of them. */
export const SCOPES = ["fitness:read", "fitness:write"] as const;
export type Scope = (typeof SCOPES)[number];
