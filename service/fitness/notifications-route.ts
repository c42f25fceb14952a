// GET /api/notifications/stream: Server-Sent Events telling the signed-in user that a provider connection
// completed (or was removed), whichever instance handled it (notifier.ts). Authenticated and charged
// exactly like /mcp (mcp/auth.ts, the principal's rate limits). Comment lines every HEARTBEAT_MS keep
// proxies and load balancers from closing an idle stream.
import { Router, type Response } from "express";
import type pg from "pg";
import type { Config } from "../config.js";
import { createAuthenticator, type VerifyAccessToken } from "../mcp/auth.js";
import { wwwAuthenticateHeader } from "../oauth/index.js";
import { principalLimits, rateLimitHeaders, type RateLimiter } from "../ratelimit/index.js";
import type { ConnectionEvents } from "./notifier.js";

export const NOTIFICATIONS_PATH = "/api/notifications/stream";
const HEARTBEAT_MS = 15_000;

export interface NotificationsRouterDeps {
  config: Config;
  pool: pg.Pool;
  rateLimiter: RateLimiter;
  verifyAccessToken: VerifyAccessToken;
  events: ConnectionEvents;
  heartbeatMs?: number;
}

export function notificationsRouter(deps: NotificationsRouterDeps): Router {
  const authenticator = createAuthenticator(deps.pool, deps.verifyAccessToken);
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  const router = Router();

  const refuse = (res: Response, status: number, error: string, headers: Record<string, string> = {}) =>
    void res.status(status).set(headers).json({ error });

  router.get(NOTIFICATIONS_PATH, async (req, res) => {
    const claimed = await authenticator.authenticate(req);
    if (claimed.outcome !== "authenticated") {
      const challenge = wwwAuthenticateHeader(deps.config, claimed.outcome === "invalid" ? "invalid_token" : undefined);
      return refuse(res, 401, "unauthorized", { "WWW-Authenticate": challenge });
    }
    const rateLimit = await deps.rateLimiter.consume(principalLimits(claimed.principal), res.locals.log);
    const auth = await authenticator.confirm(claimed, rateLimit.credentialEpoch);
    if (auth.outcome !== "authenticated") return refuse(res, 401, "unauthorized", { "WWW-Authenticate": wwwAuthenticateHeader(deps.config, "invalid_token") });
    res.set(rateLimitHeaders(rateLimit));
    if (!rateLimit.allowed) return refuse(res, 429, "rate_limited", { "Retry-After": String(rateLimit.retryAfterSeconds) });

    const { principal } = auth;
    let unsubscribe: () => void;
    try {
      unsubscribe = await deps.events.subscribe(
        { tenantId: principal.tenant.id, userId: principal.userId },
        (event) => void res.write(`event: connection\ndata: ${JSON.stringify({ provider: event.provider, status: event.status })}\n\n`),
        () => res.end(),
      );
    } catch (error) {
      // Shutting down, or the database cannot be reached for LISTEN: the client retries, perhaps elsewhere.
      res.locals.log.warn("notification stream refused", { error });
      return refuse(res, 503, "unavailable", { "Retry-After": "5" });
    }
    res.status(200).set({
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-store",
      // nginx-style proxies buffer responses unless told not to.
      "X-Accel-Buffering": "no",
    });
    res.flushHeaders();
    res.write("retry: 5000\n: connected\n\n");
    const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), heartbeatMs);
    res.on("close", () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
  return router;
}
