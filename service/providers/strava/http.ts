// Strava at the HTTP level: its rate-limit headers and what its error answers mean.
import { BadResponseError, type ProviderError, RateLimitedError, ReauthorizationRequiredError } from "../errors.js";
import type { FailedResponse, ProviderHttpProfile } from "../outbound.js";
import type { RateLimitState, RateLimitWindow } from "../types.js";
import { errorBody } from "./shapes.js";

/** Next :00/:15/:30/:45 and next 00:00 UTC, where Strava's windows reset. */
function windowResets(now: Date) {
  const quarter = 15 * 60_000;
  const nextQuarter = new Date(Math.floor(now.getTime() / quarter) * quarter + quarter);
  const nextMidnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  return { nextQuarter, nextMidnight };
}

function pair(value: string | null): [number, number] | null {
  const parts = value?.split(",").map((p) => Number(p.trim()));
  return parts && parts.length === 2 && parts.every(Number.isFinite) ? [parts[0]!, parts[1]!] : null;
}

export function parseStravaRateLimit(headers: Headers, now: Date): RateLimitState | null {
  const { nextQuarter, nextMidnight } = windowResets(now);
  const windows: RateLimitWindow[] = [];
  for (const [prefix, name] of [
    ["x-ratelimit", "overall"],
    ["x-readratelimit", "read"],
  ] as const) {
    const limit = pair(headers.get(`${prefix}-limit`));
    const usage = pair(headers.get(`${prefix}-usage`));
    if (!limit || !usage) continue;
    windows.push({ name: `${name}-15min`, limit: limit[0], usage: usage[0], resetsAt: nextQuarter });
    windows.push({ name: `${name}-daily`, limit: limit[1], usage: usage[1], resetsAt: nextMidnight });
  }
  return windows.length ? { provider: "strava", observedAt: now, windows, blockedUntil: null } : null;
}

/** A 429 waits for the daily reset if a daily window is spent, else for the next quarter hour. */
function stravaRetryAfterMs(headers: Headers, now: Date): number {
  const state = parseStravaRateLimit(headers, now);
  const spentDaily = state?.windows.some((w) => w.name.endsWith("daily") && w.usage >= w.limit);
  const { nextQuarter, nextMidnight } = windowResets(now);
  return (spentDaily ? nextMidnight : nextQuarter).getTime() - now.getTime();
}

function classify(response: FailedResponse, now: Date): ProviderError | undefined {
  const { status, endpointKind } = response;
  if (status === 429)
    return new RateLimitedError("strava", endpointKind, status, stravaRetryAfterMs(response.headers, now));
  if (endpointKind.startsWith("oauth.") && (status === 400 || status === 401)) {
    const body = errorBody.safeParse(response.body);
    // Wrong client id/secret is our configuration, not the user's grant.
    if (body.success && body.data.errors?.some((e) => e.resource === "Application")) {
      return new BadResponseError("strava", endpointKind, status, "client credentials rejected");
    }
    return new ReauthorizationRequiredError("strava", endpointKind, status);
  }
  return undefined;
}

export const stravaHttpProfile: ProviderHttpProfile = {
  provider: "strava",
  // Windows reset at quarter hours and midnight: a 429 is surfaced, never slept through.
  retryRateLimited: false,
  parseRateLimit: parseStravaRateLimit,
  classify,
};
