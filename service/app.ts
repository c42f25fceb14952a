// HTTP wiring only: middleware order, routers, errors. Each router owns its own parsing and auth.
import cors from "cors";
import express from "express";
import { a2aFace } from "./a2a/index.js";
import type { ServiceGraph } from "./composition.js";
import { errorHandler, notFound } from "./http/errors.js";
import { createCallerAuthentication } from "./fitness/caller.js";
import { notificationsRouter } from "./fitness/notifications-route.js";
import { fitnessRouter } from "./fitness/routes.js";
import { healthRouter } from "./http/health.js";
import { securityHeaders } from "./http/security-headers.js";
import { accessLog } from "./logging/index.js";
import { mcpRouter } from "./mcp/index.js";
import { OAUTH_PER_IP_LIMITS, perIpRateLimit } from "./ratelimit/index.js";
import { traceRequests } from "./tracing/http.js";

/** The slice of the service graph (composition.ts) the HTTP layer uses. */
export type AppDeps = Pick<ServiceGraph, "config" | "pool" | "logger" | "outages" | "oauth" | "rateLimiter" | "fitness" | "dataServices" | "answers" | "a2a">;

// Headers MCP and OAuth clients running in browsers need to read or send.
const EXPOSED_HEADERS = ["WWW-Authenticate", "Mcp-Session-Id", "Mcp-Protocol-Version", "RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-Id"];
const ALLOWED_HEADERS = ["Authorization", "Content-Type", "Accept", "Mcp-Protocol-Version", "Mcp-Session-Id", "Last-Event-ID", "X-API-Key", "X-Request-Id"];

export function createApp({ config, pool, logger, outages, oauth, rateLimiter, fitness, dataServices, answers, a2a }: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // Client IPs (rate limits, logs) come from X-Forwarded-For, trusting only our own proxy hops.
  app.set("trust proxy", config.trustProxyHops);

  if (config.traceSampleRatio > 0) app.use(traceRequests());
  app.use(accessLog(logger, config.trustProxyHops));
  app.use(securityHeaders());
  // Bearer-token API without cookies: any origin may call it from a browser; /mcp checks Origin itself.
  app.use(cors({ origin: true, exposedHeaders: EXPOSED_HEADERS, allowedHeaders: ALLOWED_HEADERS, maxAge: 600 }));

  app.use(healthRouter(pool));
  // The hot path first, so its requests skip matching every OAuth route.
  app.use(mcpRouter({ config, pool, rateLimiter, verifyAccessToken: oauth.verifyAccessToken, outages, fitness, services: dataServices, answers }));
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
  return app;
}
