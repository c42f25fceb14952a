// HTTP wiring only: middleware order, routers, errors. Each router owns its own parsing and auth.
import type { IncomingMessage, RequestListener } from "node:http";
import cors from "cors";
import express from "express";
import { a2aFace } from "./a2a/index.js";
import type { ServiceGraph } from "./composition.js";
import { errorHandler, notFound } from "./http/errors.js";
import { createCallerAuthentication } from "./fitness/caller.js";
import { notificationsRouter } from "./fitness/notifications-route.js";
import { fitnessRouter } from "./fitness/routes.js";
import { healthRouter } from "./http/health.js";
import { pathOf, type LocalsResponse, type NodeMiddleware, type RequestLocals } from "./http/node-http.js";
import { securityHeaders } from "./http/security-headers.js";
import { accessLog } from "./logging/index.js";
import { mcpEndpoint, type McpEndpoint } from "./mcp/index.js";
import { OAUTH_PER_IP_LIMITS, perIpRateLimit } from "./ratelimit/index.js";
import { traceRequests } from "./tracing/http.js";

/** The slice of the service graph (composition.ts) the HTTP layer uses. */
export type AppDeps = Pick<ServiceGraph, "config" | "pool" | "logger" | "outages" | "oauth" | "rateLimiter" | "fitness" | "dataServices" | "answers" | "a2a">;

// Headers MCP and OAuth clients running in browsers need to read or send.
const EXPOSED_HEADERS = ["WWW-Authenticate", "Mcp-Session-Id", "Mcp-Protocol-Version", "RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-Id"];
const ALLOWED_HEADERS = ["Authorization", "Content-Type", "Accept", "Mcp-Protocol-Version", "Mcp-Session-Id", "Last-Event-ID", "X-API-Key", "X-Request-Id"];

/** The service's request listener: POST /mcp on the fast path, everything else through the Express app. */
export function createApp({ config, pool, logger, outages, oauth, rateLimiter, fitness, dataServices, answers, a2a }: AppDeps): RequestListener {
  const app = express();
  app.disable("x-powered-by");
  // Client IPs (rate limits, logs) come from X-Forwarded-For, trusting only our own proxy hops.
  app.set("trust proxy", config.trustProxyHops);

  // What every request passes first, on either path.
  const front: NodeMiddleware[] = [
    ...(config.traceSampleRatio > 0 ? [traceRequests()] : []),
    accessLog(logger, config.trustProxyHops),
    securityHeaders(),
    // Bearer-token API without cookies: any origin may call it from a browser; /mcp checks Origin itself.
    cors({ origin: true, exposedHeaders: EXPOSED_HEADERS, allowedHeaders: ALLOWED_HEADERS, maxAge: 600 }),
  ];
  for (const middleware of front) app.use(middleware);

  app.use(healthRouter(pool));
  const mcp = mcpEndpoint({ config, pool, rateLimiter, verifyAccessToken: oauth.verifyAccessToken, outages, fitness, services: dataServices, answers });
  // The hot path first, so its requests skip matching every OAuth route.
  app.use(mcp.router);
  app.use(a2aFace({ config, pool, logger, outages, rateLimiter, verifyA2aToken: oauth.verifyA2aToken, services: a2a, sync: fitness?.sync }));
  if (fitness) {
    const authenticate = createCallerAuthentication({ config, pool, rateLimiter, verifyAccessToken: oauth.verifyAccessToken });
    app.use(fitnessRouter({ connect: fitness.connect, rateLimiter, authenticate }));
    app.use(notificationsRouter({ authenticate, events: fitness.events }));
  }
  app.use("/oauth2/authorize", perIpRateLimit(rateLimiter, "oauth2-authorize", OAUTH_PER_IP_LIMITS.authorize));
  app.use("/oauth2/token", perIpRateLimit(rateLimiter, "oauth2-token", OAUTH_PER_IP_LIMITS.token));
  app.use("/oauth2/register", perIpRateLimit(rateLimiter, "oauth2-register", OAUTH_PER_IP_LIMITS.register));
  app.use(oauth.router);

  app.use(notFound);
  app.use(errorHandler(logger, outages));
  const serveMcp = mcpFastPath(front, mcp, logger);
  return (req, res) => (req.method === "POST" && pathOf(req.url) === mcp.path ? serveMcp(req, res) : app(req, res));
}

/**
 * POST /mcp, nearly every request an agent makes, without Express: the same front middlewares, then the
 * endpoint, on Node's own request and response. Through Express a call cost 120-170 µs of CPU more
 * (http/node-http.ts). The endpoint answers its own errors; a front middleware's error gets its answer too.
 */
function mcpFastPath(front: NodeMiddleware[], mcp: McpEndpoint, logger: AppDeps["logger"]): RequestListener {
  return (req: IncomingMessage, plain) => {
    const res = Object.assign(plain, { locals: {} as RequestLocals }) satisfies LocalsResponse;
    let next = 0;
    const proceed = (error?: unknown): void => {
      // Before accessLog has run there is no request logger yet.
      if (error !== undefined) return mcp.fail(res, error, res.locals.log ?? logger);
      const middleware = front[next++];
      if (middleware) middleware(req, res, proceed);
      else void mcp.post(req, res);
    };
    proceed();
  };
}
