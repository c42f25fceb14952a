// The rate_limited event for a refused request, for the routes that answer 429.
import { emitEvent, type EventLog } from "../logging/events.js";
import type { RateLimitDecision } from "./limiter.js";

/** Logs which limit refused the request: the exceeded bucket that resets last (the one Retry-After names). */
export function emitRateLimited(log: EventLog, decision: RateLimitDecision): void {
  const exceeded = decision.usage.filter((bucket) => bucket.count > bucket.max).sort((a, b) => b.resetSeconds - a.resetSeconds)[0];
  if (exceeded) emitEvent(log, "rate_limited", { scope: exceeded.scope, window: exceeded.window });
}
