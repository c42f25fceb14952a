// The MCP endpoint: `mcpEndpoint(deps)` gives its path, its POST (app.ts serves it ahead of Express) and an
// Express router for everything else.
// router.ts has the HTTP rules, protocol.ts the per-request protocol object, tools/ the tool catalog.
export { mcpEndpoint, type McpEndpoint, type McpEndpointDeps } from "./router.js";
export type { VerifyAccessToken } from "./auth.js";
