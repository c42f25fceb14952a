// JSON-RPC 2.0 error codes the HTTP routers answer with themselves, before a request reaches the MCP
// Server or the A2A SDK (/mcp: mcp/router.ts, /a2a: a2a/router.ts). The specification's own codes, and
// the one server-error code both routers use for HTTP-level refusals and outages.
export const JSON_RPC_ERROR = {
  parseError: -32700,
  invalidRequest: -32600,
  invalidParams: -32602,
  internalError: -32603,
  /** The "implementation-defined server error" range's first code: HTTP-level refusals (401, 413, 429, 503). */
  serverError: -32000,
} as const;
