// Express glue for the per-IP limits on the OAuth endpoints.
import type { RequestHandler } from "express";
import { HttpError } from "../http/errors.js";
import { emitRateLimited } from "./events.js";
import { rateLimitHeaders, type RateLimiter } from "./limiter.js";
import { ipLimit } from "./policies.js";

/**
 * Limits every request under the mount path to `perMinute` per client IP. Mount it before the router
 * it protects: `app.use("/oauth2/token", perIpRateLimit(limiter, "oauth2-token", 30))`. Preflights never
 * arrive here (the global CORS middleware answers them). Rejections go through the app's error handler
 * as 429 {error: "rate_limited"} with Retry-After; every response carries the RateLimit headers.
 */
export function perIpRateLimit(limiter: RateLimiter, endpoint: string, perMinute: number): RequestHandler {
  return async (req, res, next) => {
    const decision = await limiter.consume([ipLimit(endpoint, req.ip, perMinute)], { log: res.locals.log });
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      emitRateLimited(res.locals.log, decision);
      next(new HttpError(429, "rate_limited", `too many requests from this address, retry in ${decision.retryAfterSeconds} s`, headers));
      return;
    }
    res.set(headers);
    next();
  };
}
