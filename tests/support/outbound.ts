// Outbound dependencies for provider tests: the real fetch (the fakes are real sockets), the fake's clock,
// sleeps that advance that clock instead of waiting, a fixed "random", and recorders for what the service
// would log and store.
import type { OutboundCall, OutboundDeps } from "../../service/providers/outbound.js";
import type { RateLimitState } from "../../service/providers/types.js";
import type { FakeClock } from "./fakes/http.js";

export interface RecordingDeps extends OutboundDeps {
  calls: OutboundCall[];
  sleeps: number[];
  rateLimits: RateLimitState[];
}

export function recordingDeps(clock: FakeClock, random = 0.5): RecordingDeps {
  const calls: OutboundCall[] = [];
  const sleeps: number[] = [];
  const rateLimits: RateLimitState[] = [];
  return {
    calls,
    sleeps,
    rateLimits,
    fetch: globalThis.fetch,
    now: clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    random: () => random,
    observer: (call) => calls.push(call),
    onRateLimit: (state) => rateLimits.push(state),
  };
}

/** Follows an authorization URL like a browser that consents, returning where the provider redirected. */
export async function authorizeLikeBrowser(url: URL): Promise<URL> {
  const response = await fetch(url, { redirect: "manual" });
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) throw new Error(`authorize answered ${response.status}`);
  return new URL(location);
}
