// The MCP endpoint: `app.use(mcpRouter({ config, pool, rateLimiter, verifyAccessToken }))`.
// router.ts has the HTTP rules, protocol.ts the per-request protocol object, tools/ the tool catalog.
export { mcpRouter, type McpRouterDeps } from "./router.js";
export type { VerifyAccessToken } from "./auth.js";
