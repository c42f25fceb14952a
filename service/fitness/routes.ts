// HTTP routes of the fitness layer: the connect link (what connect_provider returns, as a redirect for a
// caller with credentials) and the providers' OAuth callback (a browser lands here from the provider).
import { Router } from "express";
import { z } from "zod";
import { OAUTH_PER_IP_LIMITS, perIpRateLimit, type RateLimiter } from "../ratelimit/index.js";
import { refuse, type AuthenticateCaller } from "./caller.js";
import type { ConnectService } from "./connect.js";
import { providerIdSchema } from "./model.js";
import { sendConnectResultPage } from "./pages.js";

// Repeated or array parameters are not something a provider sends: they make the value unusable.
const callbackQuery = z.object({
  code: z.string().max(2000).optional().catch(undefined),
  state: z.string().max(200).optional().catch(undefined),
  error: z.string().max(200).optional().catch(undefined),
  scope: z.string().max(2000).optional().catch(undefined),
});

export interface FitnessRouterDeps {
  connect: ConnectService;
  rateLimiter: RateLimiter;
  authenticate: AuthenticateCaller;
}

export function fitnessRouter({ connect, rateLimiter, authenticate }: FitnessRouterDeps): Router {
  const router = Router();
  router.get("/api/providers/:provider/connect", async (req, res, next) => {
    const provider = providerIdSchema.safeParse(req.params.provider);
    if (!provider.success) return next();
    const principal = await authenticate(req, res);
    if (!principal) return;
    const started = await connect.start({ tenantId: principal.tenant.id, userId: principal.userId }, provider.data);
    if (!started) return refuse(res, 404, "provider_not_configured");
    if (started.kind === "authorize") return void res.set("Cache-Control", "no-store").redirect(302, started.authorizationUrl);
    sendConnectResultPage(res, started.result);
  });
  router.use("/api/oauth/callback", perIpRateLimit(rateLimiter, "provider-callback", OAUTH_PER_IP_LIMITS.authorize));
  router.get("/api/oauth/callback/:provider", async (req, res, next) => {
    const provider = providerIdSchema.safeParse(req.params.provider);
    if (!provider.success) return next();
    const query = callbackQuery.parse(req.query);
    sendConnectResultPage(res, await connect.complete(provider.data, query));
  });
  return router;
}
