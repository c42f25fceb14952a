import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { activitySchema } from "../../service/fitness/model.js";
import {
  AccessTokenRejectedError,
  BadResponseError,
  RateLimitedError,
  ReauthorizationRequiredError,
  UnsupportedOperationError,
  UpstreamUnavailableError,
} from "../../service/providers/errors.js";
import { DEFAULT_RETRY_POLICY } from "../../service/providers/outbound.js";
import { createStravaProvider } from "../../service/providers/strava/index.js";
import type { FitnessProvider, TokenGrant } from "../../service/providers/types.js";
import { FakeClock } from "../support/fakes/http.js";
import { startStravaFake, stravaActivity, type StravaFake } from "../support/fakes/strava.js";
import { authorizeLikeBrowser, recordingDeps, type RecordingDeps } from "../support/outbound.js";

const REDIRECT = "http://127.0.0.1:9/api/oauth/callback/strava";

let clock: FakeClock;
let fake: StravaFake;
let deps: RecordingDeps;
let strava: FitnessProvider;

beforeEach(async () => {
  clock = new FakeClock();
  fake = await startStravaFake(clock);
  deps = recordingDeps(clock);
  strava = createStravaProvider(
    {
      apiBaseUrl: `${fake.origin}/api/v3`,
      oauthBaseUrl: `${fake.origin}/oauth`,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
    },
    deps,
    { ...DEFAULT_RETRY_POLICY, timeoutMs: 300 },
  );
});
afterEach(() => fake.close());

async function connect(): Promise<TokenGrant> {
  const callback = await authorizeLikeBrowser(
    strava.authorizationUrl({ state: "st-1", redirectUri: REDIRECT, codeChallenge: "ignored", subject: "u" }),
  );
  return strava.exchangeCode({
    code: callback.searchParams.get("code")!,
    redirectUri: REDIRECT,
    codeVerifier: "",
    callbackScope: callback.searchParams.get("scope")!,
  });
}

describe("Strava connect flow", () => {
  it("redirects back with code, state and the accepted scopes, and exchanges the code once", async () => {
    const url = strava.authorizationUrl({ state: "st-1", redirectUri: REDIRECT, codeChallenge: "c", subject: "u" });
    expect(url.searchParams.get("scope")).toBe("read,activity:read_all,profile:read_all");
    expect(url.searchParams.has("code_challenge")).toBe(false); // Strava has no PKCE
    fake.consent = { approve: true, scope: "read,activity:read" };
    const callback = await authorizeLikeBrowser(url);
    expect(callback.searchParams.get("state")).toBe("st-1");
    const code = callback.searchParams.get("code")!;
    const grant = await strava.exchangeCode({
      code,
      redirectUri: REDIRECT,
      codeVerifier: "",
      callbackScope: callback.searchParams.get("scope")!,
    });
    expect(grant.scopes).toEqual(["read", "activity:read"]);
    expect(grant.externalUserId).toBe("9001");
    expect(grant.expiresAt!.getTime()).toBe(Math.floor(clock.now() / 1000) * 1000 + 6 * 3600_000);
    // Codes are single use: a replay is a dead grant, not something to retry.
    await expect(strava.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: "" })).rejects.toBeInstanceOf(
      ReauthorizationRequiredError,
    );
    expect(fake.calls("oauth.token")).toBe(2);
  });

  it("carries a denied consent back as error=access_denied", async () => {
    fake.consent = { approve: false };
    const callback = await authorizeLikeBrowser(
      strava.authorizationUrl({ state: "st-2", redirectUri: REDIRECT, codeChallenge: "c", subject: "u" }),
    );
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe("st-2");
    expect(callback.searchParams.has("code")).toBe(false);
  });

  it("rotates refresh tokens with exactly one call, and a reused refresh token means reauthorization", async () => {
    const grant = await connect();
    clock.advance(5.5 * 3600_000);
    const refreshed = await strava.refresh(grant.refreshToken!);
    expect(fake.calls("oauth.token")).toBe(2);
    expect(refreshed.refreshToken).not.toBe(grant.refreshToken);
    expect(refreshed.accessToken).not.toBe(grant.accessToken);
    await expect(strava.refresh(grant.refreshToken!)).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    // Never retried: a second use of a rotated refresh token is what kills grants.
    expect(fake.calls("oauth.token")).toBe(3);
  });

  it("hands back the same access token while more than an hour is left, a new one after", async () => {
    fake.rotateRefreshTokens = false;
    const grant = await connect();
    const early = await strava.refresh(grant.refreshToken!);
    expect([early.accessToken, early.refreshToken]).toEqual([grant.accessToken, grant.refreshToken]);
    expect(early.expiresAt).toEqual(grant.expiresAt);
    clock.advance(5.5 * 3600_000);
    const late = await strava.refresh(grant.refreshToken!);
    expect(late.accessToken).not.toBe(grant.accessToken);
    expect(late.refreshToken).toBe(grant.refreshToken);
    expect(late.expiresAt!.getTime()).toBe(Math.floor(clock.now() / 1000) * 1000 + 6 * 3600_000);
  });

  it("deauthorizes: afterwards the access token is refused and the refresh token is dead", async () => {
    const grant = await connect();
    await strava.revoke({ accessToken: grant.accessToken, refreshToken: grant.refreshToken });
    expect(fake.calls("oauth.deauthorize")).toBe(1);
    await expect(strava.getAthlete(grant)).rejects.toBeInstanceOf(AccessTokenRejectedError);
    await expect(strava.refresh(grant.refreshToken!)).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    // Revoking again is a no-op, not an error.
    await strava.revoke({ accessToken: grant.accessToken, refreshToken: null });
  });
});

describe("Strava data", () => {
  it("pages through the whole history, then resumes incrementally from the stored cursor", async () => {
    fake.athlete.activities = Array.from({ length: 230 }, (_, i) =>
      stravaActivity(i, { sport: i % 3 === 0 ? "GravelRide" : "TrailRun" }),
    );
    const grant = await connect();
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page = await strava.listActivities(grant, { cursor });
      seen.push(...page.activities.map((a) => a.id));
      for (const a of page.activities) activitySchema.parse(a);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(new Set(seen).size).toBe(230);
    expect(fake.calls("activities.list")).toBe(4); // 100 + 100 + 30 + the empty page that ends the list

    fake.athlete.activities.push(stravaActivity(400), stravaActivity(401));
    const next = await strava.listActivities(grant, { cursor });
    expect(next.activities.map((a) => a.id)).toEqual(["10000000400", "10000000401"]);
  });

  it("maps a summary into the normalized model", async () => {
    fake.athlete.activities = [stravaActivity(3, { sport: "GravelRide" })];
    const grant = await connect();
    const [a] = (await strava.listActivities(grant, { cursor: null })).activities;
    expect(a).toMatchObject({
      id: "10000000003",
      provider: "strava",
      sport: "ride",
      providerSport: "GravelRide",
      startTime: "2026-01-04T07:00:00.000Z",
      utcOffsetSeconds: 3600,
      elapsedSeconds: 1800,
      movingSeconds: 1770,
      distanceMeters: 6003,
      avgHeartRate: 148.2,
      avgPowerWatts: null,
      synthetic: false,
    });
  });

  it("reads one activity with laps and keyed streams, and one without streams", async () => {
    fake.athlete.activities = [stravaActivity(1, { streams: true }), stravaActivity(2)];
    const grant = await connect();
    const withStreams = await strava.getActivity(grant, "10000000001", { streams: true });
    activitySchema.parse(withStreams);
    expect(withStreams.device).toBe("Garmin Forerunner 265");
    expect(withStreams.calories).toBe(410);
    expect(withStreams.laps).toHaveLength(2);
    expect(withStreams.laps![1]).toMatchObject({ index: 1, distanceMeters: 3001, avgHeartRate: 151 });
    expect(withStreams.streams!.timeSeconds).toHaveLength(181);
    expect(withStreams.streams!.heartRate![60]).toBe(130);
    expect(withStreams.streams!.powerWatts).toBeUndefined();
    const manual = await strava.getActivity(grant, "10000000002", { streams: true });
    expect(manual.streams).toBeUndefined();
    await expect(strava.getActivity(grant, "../athlete", { streams: false })).rejects.toBeInstanceOf(BadResponseError);
  });

  it("reads the athlete and says plainly that Strava has no sleep", async () => {
    const grant = await connect();
    expect(await strava.getAthlete(grant)).toMatchObject({
      externalId: "9001",
      displayName: "Ada Runner",
      sex: "female",
      weightKg: 58.5,
      ftpWatts: 240,
    });
    await expect(strava.listSleep(grant, { from: "2026-01-01", to: "2026-01-02" })).rejects.toBeInstanceOf(
      UnsupportedOperationError,
    );
  });
});

describe("Strava limits and failures", () => {
  it("reports its rate-limit headers and surfaces a 429 with the wait until the next quarter hour", async () => {
    const grant = await connect();
    await strava.getAthlete(grant);
    const state = deps.rateLimits.at(-1)!;
    expect(state.windows.map((w) => [w.name, w.limit, w.usage])).toEqual([
      ["overall-15min", 200, 1],
      ["overall-daily", 2000, 1],
      ["read-15min", 100, 1],
      ["read-daily", 1000, 1],
    ]);
    fake.usage.read = [100, 500];
    const error = await strava.getAthlete(grant).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    // The clock reads 07:03 UTC: the 15-minute window resets at 07:15.
    expect((error as RateLimitedError).retryAfterMs).toBe(12 * 60_000);
    expect(fake.calls("athlete.get")).toBe(2); // surfaced, not slept through
    expect(deps.rateLimits.at(-1)!.blockedUntil).toEqual(new Date(Date.UTC(2026, 10, 30, 7, 15)));
    expect(deps.rateLimits.at(-1)!.windows.find((w) => w.name === "read-15min")).toMatchObject({
      limit: 100,
      usage: 101,
    });
    expect(deps.calls.at(-1)).toMatchObject({
      provider: "strava",
      endpointKind: "athlete.get",
      status: 429,
      ok: false,
    });
  });

  it("waits for midnight UTC when the daily window is spent", async () => {
    const grant = await connect();
    fake.usage.overall = [10, 2000];
    const error = (await strava.getAthlete(grant).catch((e: unknown) => e)) as RateLimitedError;
    expect(error.retryAfterMs).toBe(Date.UTC(2026, 11, 1) - clock.now());
  });

  it("retries a 5xx with jittered backoff and gives up after the bounded attempts", async () => {
    const grant = await connect();
    fake.inject("athlete.get", { status: 503, body: { message: "unavailable" } }, 2);
    await strava.getAthlete(grant);
    expect(fake.calls("athlete.get")).toBe(3);
    // Equal jitter with random() = 0.5: 3/4 of 250 ms, then of 500 ms.
    expect(deps.sleeps).toEqual([187.5, 375]);
    fake.inject("athlete.get", { status: 502, body: "<html>bad gateway</html>" }, 3);
    await expect(strava.getAthlete(grant)).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(fake.calls("athlete.get")).toBe(6);
  });

  it("times out a slow answer and reports the call without a status", async () => {
    const grant = await connect();
    fake.inject("athlete.get", { delayMs: 1_000 }, 3);
    const error = await strava.getAthlete(grant).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toContain("timed out");
    expect(deps.calls.filter((c) => c.endpointKind === "athlete.get")).toHaveLength(3);
    expect(deps.calls.at(-1)).toMatchObject({ status: null, ok: false, responseBytes: 0 });
  });

  it("rejects an answer that is not the documented shape", async () => {
    const grant = await connect();
    fake.inject("athlete.get", { status: 200, body: { id: "not-a-number" } });
    const error = await strava.getAthlete(grant).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadResponseError);
    expect((error as Error).message).toBe("strava athlete.get: unexpected shape at id");
  });

  it("never lets a token or a body reach what would be logged", async () => {
    fake.athlete.activities = [stravaActivity(1, { streams: true })];
    const grant = await connect();
    await strava.getActivity(grant, "10000000001", { streams: true });
    const refreshed = await strava.refresh(grant.refreshToken!);
    await strava.refresh(grant.refreshToken!).catch(() => undefined);
    const logged = JSON.stringify(deps.calls);
    for (const secret of [
      grant.accessToken,
      grant.refreshToken!,
      refreshed.accessToken,
      refreshed.refreshToken!,
      fake.clientSecret,
      "Morning run",
    ]) {
      expect(logged).not.toContain(secret);
    }
    expect(deps.calls.every((c) => c.responseBytes >= 0 && c.latencyMs >= 0)).toBe(true);
    expect(deps.calls.find((c) => c.endpointKind === "activities.streams")!.responseBytes).toBeGreaterThan(1000);
  });
});
