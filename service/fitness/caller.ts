// Who calls the fitness layer's own HTTP routes (the notification stream, the browser connect link):
// authenticated and charged exactly like /mcp (mcp/auth.ts, the principal's rate limits), refused with
// the same 401 challenge or 429.
import type { Request, Response } from "express";
import type pg from "pg";
import type { Config } from "../config.js";
import type { Principal } from "../identity/principal.js";
import { createAuthenticator, type VerifyAccessToken } from "../mcp/auth.js";
import { wwwAuthenticateHeader } from "../oauth/index.js";
import { principalLimits, rateLimitHeaders, type RateLimiter } from "../ratelimit/index.js";

export interface CallerDeps {
  config: Config;
  pool: pg.Pool;
  rateLimiter: RateLimiter;
  verifyAccessToken: VerifyAccessToken;
}

/** The authenticated principal, or undefined once the refusal has been sent. */
export type AuthenticateCaller = (req: Request, res: Response) => Promise<Principal | undefined>;

export function refuse(res: Response, status: number, error: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).json({ error });
}

export function createCallerAuthentication(deps: CallerDeps): AuthenticateCaller {
  const authenticator = createAuthenticator(deps.pool, deps.verifyAccessToken);
  const unauthorized = (res: Response, error?: "invalid_token") =>
    refuse(res, 401, "unauthorized", { "WWW-Authenticate": wwwAuthenticateHeader(deps.config, error) });

  return async (req, res) => {
    const claimed = await authenticator.authenticate(req);
    if (claimed.outcome !== "authenticated") return void unauthorized(res, claimed.outcome === "invalid" ? "invalid_token" : undefined);
    const rateLimit = await deps.rateLimiter.consume(principalLimits(claimed.principal), { log: res.locals.log });
    const auth = await authenticator.confirm(claimed, rateLimit.credentialEpoch);
    if (auth.outcome !== "authenticated") return void unauthorized(res, "invalid_token");
    res.set(rateLimitHeaders(rateLimit));
    if (!rateLimit.allowed) return void refuse(res, 429, "rate_limited", { "Retry-After": String(rateLimit.retryAfterSeconds) });
    return auth.principal;
  };
}
