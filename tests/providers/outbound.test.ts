import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { BadResponseError, RateLimitedError, UpstreamUnavailableError } from "../../service/providers/errors.js";
import {
  DEFAULT_RETRY_POLICY,
  createOutbound,
  type Outbound,
  type ProviderHttpProfile,
} from "../../service/providers/outbound.js";
import { createProviderRegistry } from "../../service/providers/index.js";
import { createPkcePair, pkceChallenge, randomState } from "../../service/providers/pkce.js";
import { FakeClock, type FakeServer, startFakeServer } from "../support/fakes/http.js";
import { recordingDeps, type RecordingDeps } from "../support/outbound.js";

const profile = (retryRateLimited: boolean): ProviderHttpProfile => ({
  provider: "garmin",
  retryRateLimited,
  parseRateLimit: () => null,
  classify: () => undefined,
});

let clock: FakeClock;
let server: FakeServer;
let deps: RecordingDeps;
let http: Outbound;

beforeEach(async () => {
  clock = new FakeClock();
  server = await startFakeServer([
    { name: "thing", method: "GET", path: /^\/thing$/, handle: () => ({ status: 200, body: { value: 42 } }) },
    { name: "token", method: "POST", path: /^\/token$/, handle: () => ({ status: 200, body: { value: 1 } }) },
  ]);
  deps = recordingDeps(clock);
  http = createOutbound(profile(true), deps);
});
afterEach(() => server.close());

const get = () =>
  http.send({
    endpointKind: "thing.get",
    method: "GET",
    url: new URL(`${server.origin}/thing`),
    idempotent: true,
    schema: z.object({ value: z.number() }),
  });

describe("outbound", () => {
  it("never retries a call that is not idempotent (a refresh must reach the provider at most once)", async () => {
    server.inject("token", { status: 503, body: {} }, 3);
    const send = http.send({
      endpointKind: "oauth.refresh",
      method: "POST",
      url: new URL(`${server.origin}/token`),
      form: new URLSearchParams({ a: "b" }),
      idempotent: false,
      schema: z.object({ value: z.number() }),
    });
    await expect(send).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(server.calls("token")).toBe(1);
  });

  it("reads Retry-After as an HTTP date, and waits out a short one when the provider allows", async () => {
    server.inject("thing", { status: 429, headers: { "retry-after": new Date(clock.now() + 3000).toUTCString() } });
    expect(await get()).toEqual({ value: 42 });
    expect(deps.sleeps).toEqual([3000]);
    http = createOutbound(profile(false), deps);
    server.inject("thing", { status: 429, headers: { "retry-after": "1" } });
    const error = (await get().catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterMs).toBe(1000);
  });

  it("assumes the policy's default wait when a 429 says nothing", async () => {
    server.inject("thing", { status: 429 }, 1);
    const error = (await get().catch((e: unknown) => e)) as RateLimitedError;
    expect(error.retryAfterMs).toBe(DEFAULT_RETRY_POLICY.defaultRetryAfterMs);
    expect(server.calls("thing")).toBe(1);
    // Every instance must learn that the provider said wait, even one without quota headers.
    expect(deps.rateLimits).toEqual([
      {
        provider: "garmin",
        observedAt: new Date(clock.now()),
        windows: [],
        blockedUntil: new Date(clock.now() + DEFAULT_RETRY_POLICY.defaultRetryAfterMs),
      },
    ]);
  });

  it("reports one event per attempt with the response size, and none of the body", async () => {
    const body = { secret: "x".repeat(100) };
    server.inject("thing", { status: 500, body });
    await get();
    expect(deps.calls).toEqual([
      {
        provider: "garmin",
        endpointKind: "thing.get",
        status: 500,
        latencyMs: 0,
        ok: false,
        responseBytes: JSON.stringify(body).length,
      },
      {
        provider: "garmin",
        endpointKind: "thing.get",
        status: 200,
        latencyMs: 0,
        ok: true,
        responseBytes: JSON.stringify({ value: 42 }).length,
      },
    ]);
  });

  it("turns a non-JSON 200 into a bad response and a refused connection into upstream unavailable", async () => {
    server.inject("thing", { status: 200, body: "<html>maintenance</html>" });
    await expect(get()).rejects.toBeInstanceOf(BadResponseError);
    await server.close();
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toBe("garmin thing.get: network error");
    expect(deps.calls.at(-1)).toMatchObject({ status: null, ok: false });
    server = await startFakeServer([]);
  });

  it("builds the registry from the providers that have settings; synthetic is always there", () => {
    const only = createProviderRegistry({}, deps);
    expect([...only.keys()]).toEqual(["synthetic"]);
    const all = createProviderRegistry(
      {
        strava: {
          apiBaseUrl: "http://127.0.0.1:1/api/v3",
          oauthBaseUrl: "http://127.0.0.1:1/oauth",
          clientId: "1",
          clientSecret: "s",
        },
        fitbit: {
          authBaseUrl: "http://127.0.0.1:1",
          tokenBaseUrl: "http://127.0.0.1:1",
          apiBaseUrl: "http://127.0.0.1:1/v4",
          clientId: "1",
          clientSecret: "s",
        },
        garmin: {
          authorizeBaseUrl: "http://127.0.0.1:1",
          tokenBaseUrl: "http://127.0.0.1:1",
          apiBaseUrl: "http://127.0.0.1:1",
          clientId: "1",
          clientSecret: "s",
        },
      },
      deps,
    );
    expect([...all.keys()].sort()).toEqual(["fitbit", "garmin", "strava", "synthetic"]);
  });

  it("derives the PKCE challenge as RFC 7636 Appendix B does, from fresh verifiers and states", () => {
    expect(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
    const a = createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.challenge).toBe(pkceChallenge(a.verifier));
    expect(createPkcePair().verifier).not.toBe(a.verifier);
    expect(randomState()).not.toBe(randomState());
  });
});
