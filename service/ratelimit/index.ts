// Rate limiting shared by all instances through Postgres (rate_limit_counters). See policies.ts for
// which buckets a request is charged to and limiter.ts for headers and the fail-open policy.
export { createRateLimiter, rateLimitHeaders, type BucketUsage, type Limit, type RateLimitDecision, type RateLimiter } from "./limiter.js";
export { OAUTH_PER_IP_LIMITS, principalLimits, type PrincipalLimit } from "./policies.js";
export { emitRateLimited } from "./events.js";
export { perIpRateLimit } from "./http.js";
