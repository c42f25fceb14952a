// The outbound HTTP profile of a data service: no quota headers to read (USDA's X-RateLimit-Remaining is
// per key per hour and only informative), and a 429 is not retried within a tool call.
import type { ProviderHttpProfile } from "../providers/outbound.js";

export function dataServiceProfile(provider: "usda" | "openweather"): ProviderHttpProfile {
  return { provider, retryRateLimited: false, parseRateLimit: () => null, classify: () => undefined };
}
