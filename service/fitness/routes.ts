// HTTP routes of the fitness layer: the providers' OAuth callback (a browser lands here from the provider).
import { Router } from "express";
import { z } from "zod";
import { OAUTH_PER_IP_LIMITS, perIpRateLimit, type RateLimiter } from "../ratelimit/index.js";
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
}

export function fitnessRouter({ connect, rateLimiter }: FitnessRouterDeps): Router {
  const router = Router();
  router.use("/api/oauth/callback", perIpRateLimit(rateLimiter, "provider-callback", OAUTH_PER_IP_LIMITS.authorize));
  router.get("/api/oauth/callback/:provider", async (req, res, next) => {
    const provider = providerIdSchema.safeParse(req.params.provider);
    if (!provider.success) return next();
    const query = callbackQuery.parse(req.query);
    sendConnectResultPage(res, await connect.complete(provider.data, query));
  });
  return router;
}
