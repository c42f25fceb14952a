import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { activitySchema, hrvRecordSchema, sleepRecordSchema } from "../../service/fitness/model.js";
import {
  AccessTokenRejectedError,
  RateLimitedError,
  ReauthorizationRequiredError,
} from "../../service/providers/errors.js";
import { GOOGLE_HEALTH_SCOPES, createGoogleHealthProvider } from "../../service/providers/google-health/index.js";
import { createPkcePair as pkcePair } from "../../service/providers/pkce.js";
import type { FitnessProvider, TokenGrant } from "../../service/providers/types.js";
import {
  googleExercise,
  googleHeartRate,
  googleHrv,
  googleSleep,
  startGoogleHealthFake,
  type GoogleHealthFake,
} from "../support/fakes/google-health.js";
import { FakeClock } from "../support/fakes/http.js";
import { authorizeLikeBrowser, recordingDeps, type RecordingDeps } from "../support/outbound.js";

const REDIRECT = "http://127.0.0.1:9/api/oauth/callback/fitbit";

let clock: FakeClock;
let fake: GoogleHealthFake;
let deps: RecordingDeps;
let google: FitnessProvider;

beforeEach(async () => {
  clock = new FakeClock();
  fake = await startGoogleHealthFake(clock);
  deps = recordingDeps(clock);
  google = createGoogleHealthProvider(
    {
      authBaseUrl: fake.origin,
      tokenBaseUrl: fake.origin,
      apiBaseUrl: `${fake.origin}/v4`,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
    },
    deps,
  );
});
afterEach(() => fake.close());

async function connect(): Promise<TokenGrant> {
  const { verifier, challenge } = pkcePair();
  const callback = await authorizeLikeBrowser(
    google.authorizationUrl({ state: "g-1", redirectUri: REDIRECT, codeChallenge: challenge, subject: "u" }),
  );
  return google.exchangeCode({
    code: callback.searchParams.get("code")!,
    redirectUri: REDIRECT,
    codeVerifier: verifier,
  });
}

async function drain(grant: TokenGrant, cursor: string | null) {
  const ids: string[] = [];
  for (let guard = 0; guard < 20; guard++) {
    const page = await google.listActivities(grant, { cursor });
    ids.push(...page.activities.map((a) => a.id));
    cursor = page.cursor;
    if (!page.hasMore) return { ids, cursor };
  }
  throw new Error("did not finish");
}

describe("Google Health connect flow (Fitbit)", () => {
  it("asks for offline access with PKCE and the Health scopes, and exchanges the code with the verifier", async () => {
    const { verifier, challenge } = pkcePair();
    const url = google.authorizationUrl({
      state: "g-1",
      redirectUri: REDIRECT,
      codeChallenge: challenge,
      subject: "u",
    });
    expect(url.pathname).toBe("/o/oauth2/v2/auth");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      access_type: "offline",
      prompt: "consent",
      code_challenge: challenge,
      code_challenge_method: "S256",
      scope: GOOGLE_HEALTH_SCOPES.join(" "),
      state: "g-1",
    });
    const callback = await authorizeLikeBrowser(url);
    expect(callback.searchParams.get("state")).toBe("g-1");
    const grant = await google.exchangeCode({
      code: callback.searchParams.get("code")!,
      redirectUri: REDIRECT,
      codeVerifier: verifier,
    });
    expect(grant.refreshToken).toMatch(/^1\/\/0g/);
    expect(grant.expiresAt!.getTime()).toBe(clock.now() + 3599_000);
    expect(grant.scopes).toEqual([...GOOGLE_HEALTH_SCOPES]);
  });

  it("refuses a code presented with the wrong verifier", async () => {
    const { challenge } = pkcePair();
    const callback = await authorizeLikeBrowser(
      google.authorizationUrl({ state: "g-2", redirectUri: REDIRECT, codeChallenge: challenge, subject: "u" }),
    );
    await expect(
      google.exchangeCode({
        code: callback.searchParams.get("code")!,
        redirectUri: REDIRECT,
        codeVerifier: pkcePair().verifier,
      }),
    ).rejects.toBeInstanceOf(ReauthorizationRequiredError);
  });

  it("carries a denied consent back as error=access_denied", async () => {
    fake.consent = { approve: false };
    const callback = await authorizeLikeBrowser(
      google.authorizationUrl({
        state: "g-3",
        redirectUri: REDIRECT,
        codeChallenge: pkcePair().challenge,
        subject: "u",
      }),
    );
    expect(Object.fromEntries(callback.searchParams)).toEqual({ error: "access_denied", state: "g-3" });
  });

  it("refreshes keeping the refresh token; after revoke the grant is gone", async () => {
    const grant = await connect();
    clock.advance(3600_000);
    const refreshed = await google.refresh(grant.refreshToken!);
    expect(fake.calls("oauth.token")).toBe(2);
    expect(refreshed.refreshToken).toBe(grant.refreshToken);
    expect(refreshed.accessToken).not.toBe(grant.accessToken);
    await google.revoke({ accessToken: refreshed.accessToken, refreshToken: refreshed.refreshToken });
    await expect(google.getAthlete(refreshed)).rejects.toBeInstanceOf(AccessTokenRejectedError);
    await expect(google.refresh(grant.refreshToken!)).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    // Revoking a dead grant again is fine.
    await google.revoke({ accessToken: refreshed.accessToken, refreshToken: refreshed.refreshToken });
    expect(fake.calls("oauth.revoke")).toBe(2);
  });
});

describe("Google Health data", () => {
  it("pages exercises 25 at a time, then resumes from the newest civil start time", async () => {
    fake.points.exercise = Array.from({ length: 60 }, (_, i) => googleExercise(i, i % 2 ? "BIKING" : "RUNNING"));
    const grant = await connect();
    const first = await drain(grant, null);
    expect(first.ids).toHaveLength(60);
    expect(new Set(first.ids).size).toBe(60);
    expect(fake.calls("dataPoints.list")).toBe(3);

    fake.points.exercise.push(googleExercise(61), googleExercise(62));
    const second = await drain(grant, first.cursor);
    expect(second.ids).toEqual(["ex-0061", "ex-0062"]);
    const third = await drain(grant, second.cursor);
    expect(third.ids).toEqual([]);
  });

  it("maps an exercise data point, its splits and its heart-rate samples", async () => {
    fake.points.exercise = [googleExercise(4)];
    const start = (fake.points.exercise[0]!.exercise as { interval: { startTime: string } }).interval.startTime;
    // Samples just outside the session must not be read as part of it.
    fake.points["heart-rate"] = [
      ...googleHeartRate(new Date(Date.parse(start) - 60_000).toISOString(), 60),
      ...googleHeartRate(start, 3600),
      ...googleHeartRate(new Date(Date.parse(start) + 3600_000).toISOString(), 60),
    ];
    const grant = await connect();
    const activity = await google.getActivity(grant, "ex-0004", { streams: true });
    activitySchema.parse(activity);
    expect(activity).toMatchObject({
      id: "ex-0004",
      provider: "fitbit",
      sport: "run",
      providerSport: "RUNNING",
      name: "Run",
      startTime: "2026-01-05T06:30:00.000Z",
      utcOffsetSeconds: 3600,
      elapsedSeconds: 3600,
      movingSeconds: 3480,
      distanceMeters: 10000.004,
      elevationGainMeters: 85,
      avgHeartRate: 152,
      avgSpeedMps: expect.closeTo(2.8736, 9),
      calories: 702.5,
      device: "Pixel Watch 3",
    });
    expect(activity.laps!.map((l) => [l.distanceMeters, l.avgHeartRate, l.movingSeconds])).toEqual([
      [5000, 148, 1750],
      [5000.004, 156, 1730],
    ]);
    expect(activity.streams!.timeSeconds).toHaveLength(720);
    expect(activity.streams!.timeSeconds[0]).toBe(0);
    expect(activity.streams!.heartRate![1]).toBe(121);
  });

  it("reads sleep with and without stages, and nightly HRV, by local date", async () => {
    fake.points.sleep = [googleSleep("2026-02-01"), googleSleep("2026-02-02", "classic"), googleSleep("2026-02-04")];
    fake.points["daily-heart-rate-variability"] = [
      googleHrv("2026-02-01", 61.2),
      googleHrv("2026-02-02", 55.4),
      googleHrv("2026-02-04", 70),
    ];
    const grant = await connect();
    const sleep = await google.listSleep(grant, { from: "2026-02-01", to: "2026-02-02" });
    sleep.forEach((s) => sleepRecordSchema.parse(s));
    expect(sleep.map((s) => [s.id, s.date, s.minutesAsleep, s.stages?.deepMinutes ?? null])).toEqual([
      ["sl-2026-02-01", "2026-02-01", 430, 80],
      ["sl-2026-02-02", "2026-02-02", 415, null],
    ]);
    const hrv = await google.listHrv(grant, { from: "2026-02-02", to: "2026-02-04" });
    hrv.forEach((h) => hrvRecordSchema.parse(h));
    expect(hrv.map((h) => [h.date, h.rmssdMs, h.deepSleepRmssdMs])).toEqual([
      ["2026-02-02", 55.4, 61.9],
      ["2026-02-04", 70, 76.5],
    ]);
  });

  it("identifies the athlete by healthUserId", async () => {
    const grant = await connect();
    expect(await google.getAthlete(grant)).toMatchObject({ provider: "fitbit", externalId: "hUx9-42" });
  });
});

describe("Google Health quota errors", () => {
  it("backs off and retries a 429 that asks for a short wait", async () => {
    const grant = await connect();
    fake.inject("identity.get", {
      status: 429,
      headers: { "retry-after": "2" },
      body: { error: { code: 429, message: "Quota exceeded", status: "RESOURCE_EXHAUSTED" } },
    });
    await google.getAthlete(grant);
    expect(fake.calls("identity.get")).toBe(2);
    expect(deps.sleeps).toEqual([2000]);
  });

  it("surfaces a 429 that asks for longer than the policy waits", async () => {
    const grant = await connect();
    fake.inject("identity.get", {
      status: 429,
      headers: { "retry-after": "120" },
      body: { error: { code: 429, message: "Quota exceeded", status: "RESOURCE_EXHAUSTED" } },
    });
    const error = (await google.getAthlete(grant).catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(fake.calls("identity.get")).toBe(1);
  });

  it("treats a scope the user withheld as needing a new consent", async () => {
    const grant = await connect();
    fake.inject("dataPoints.list", {
      status: 403,
      body: {
        error: { code: 403, message: "Request had insufficient authentication scopes.", status: "PERMISSION_DENIED" },
      },
    });
    await expect(google.listSleep(grant, { from: "2026-02-01", to: "2026-02-02" })).rejects.toBeInstanceOf(
      ReauthorizationRequiredError,
    );
  });
});
