// GET /api/notifications/stream: Server-Sent Events telling the signed-in user that a provider connection
// completed (or was removed), whichever instance handled it (notifier.ts). Authenticated and charged
// exactly like /mcp (caller.ts). Comment lines every HEARTBEAT_MS keep proxies and load balancers from
// closing an idle stream.
import { Router } from "express";
import { refuse, type AuthenticateCaller } from "./caller.js";
import type { ConnectionEvents } from "./notifier.js";

export const NOTIFICATIONS_PATH = "/api/notifications/stream";
const HEARTBEAT_MS = 15_000;

export interface NotificationsRouterDeps {
  authenticate: AuthenticateCaller;
  events: ConnectionEvents;
  heartbeatMs?: number;
}

export function notificationsRouter(deps: NotificationsRouterDeps): Router {
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  const router = Router();

  router.get(NOTIFICATIONS_PATH, async (req, res) => {
    const principal = await deps.authenticate(req, res);
    if (!principal) return;
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
