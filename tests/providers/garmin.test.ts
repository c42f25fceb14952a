import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { activitySchema } from "../../service/fitness/model.js";
import {
  AccessTokenRejectedError,
  ReauthorizationRequiredError,
  UnsupportedOperationError,
} from "../../service/providers/errors.js";
import { GARMIN_INITIAL_HISTORY_DAYS, createGarminProvider } from "../../service/providers/garmin/index.js";
import { createPkcePair as pkcePair } from "../../service/providers/pkce.js";
import type { FitnessProvider, TokenGrant } from "../../service/providers/types.js";
import {
  garminActivityDetail,
  garminHrv,
  garminSleep,
  startGarminFake,
  type GarminFake,
} from "../support/fakes/garmin.js";
import { FakeClock } from "../support/fakes/http.js";
import { authorizeLikeBrowser, recordingDeps } from "../support/outbound.js";

const REDIRECT = "http://127.0.0.1:9/api/oauth/callback/garmin";
const DAY = 86_400;

let clock: FakeClock;
let fake: GarminFake;
let garmin: FitnessProvider;

beforeEach(async () => {
  clock = new FakeClock();
  fake = await startGarminFake(clock);
  garmin = createGarminProvider(
    {
      authorizeBaseUrl: fake.origin,
      tokenBaseUrl: fake.origin,
      apiBaseUrl: fake.origin,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
    },
    recordingDeps(clock),
  );
});
afterEach(() => fake.close());

async function connect(): Promise<TokenGrant> {
  const { verifier, challenge } = pkcePair();
  const callback = await authorizeLikeBrowser(
    garmin.authorizationUrl({ state: "gm-1", redirectUri: REDIRECT, codeChallenge: challenge, subject: "u" }),
  );
  expect(callback.searchParams.get("state")).toBe("gm-1");
  return garmin.exchangeCode({
    code: callback.searchParams.get("code")!,
    redirectUri: REDIRECT,
    codeVerifier: verifier,
  });
}

const nowSeconds = () => Math.floor(clock.now() / 1000);

describe("Garmin connect flow", () => {
  it("exchanges a PKCE code for 24 h access and ~90-day refresh tokens", async () => {
    const grant = await connect();
    expect(grant.expiresAt!.getTime()).toBe(clock.now() + DAY * 1000);
    expect(grant.refreshTokenExpiresAt!.getTime()).toBe(clock.now() + 7_775_998_000);
    expect(await garmin.getAthlete(grant)).toMatchObject({ provider: "garmin", externalId: fake.userId });
  });

  it("carries a denied consent back as error=access_denied", async () => {
    fake.consent = { approve: false };
    const callback = await authorizeLikeBrowser(
      garmin.authorizationUrl({
        state: "gm-2",
        redirectUri: REDIRECT,
        codeChallenge: pkcePair().challenge,
        subject: "u",
      }),
    );
    expect(callback.searchParams.get("error")).toBe("access_denied");
  });

  it("rotates the refresh token on refresh; the old one is dead afterwards", async () => {
    const grant = await connect();
    const refreshed = await garmin.refresh(grant.refreshToken!);
    expect(refreshed.refreshToken).not.toBe(grant.refreshToken);
    await expect(garmin.refresh(grant.refreshToken!)).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    await garmin.refresh(refreshed.refreshToken!);
    expect(fake.calls("oauth.token")).toBe(4);
  });

  it("deregisters the user; the tokens stop working and a second deregistration is harmless", async () => {
    const grant = await connect();
    await garmin.revoke({ accessToken: grant.accessToken, refreshToken: grant.refreshToken });
    expect(fake.calls("user.deregister")).toBe(1);
    await expect(garmin.getAthlete(grant)).rejects.toBeInstanceOf(AccessTokenRejectedError);
    await garmin.revoke({ accessToken: grant.accessToken, refreshToken: grant.refreshToken });
  });
});

describe("Garmin data", () => {
  it("pulls day-sized upload windows from the initial history up to now, then only what is new", async () => {
    const now = nowSeconds();
    fake.uploads.activityDetails = [
      { uploadedAt: now - 29 * DAY, summary: garminActivityDetail(now - 29 * DAY - 4000, 1) },
      { uploadedAt: now - 3 * DAY, summary: garminActivityDetail(now - 3 * DAY - 4000, 2) },
      // Older than the initial window: reachable only through Garmin's backfill.
      { uploadedAt: now - 40 * DAY, summary: garminActivityDetail(now - 40 * DAY, 3) },
    ];
    const grant = await connect();
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 40; guard++) {
      const page = await garmin.listActivities(grant, { cursor });
      ids.push(...page.activities.map((a) => a.id));
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(ids).toEqual(["x153a9f3-1-6", "x153a9f3-2-6"]);
    expect(fake.calls("activityDetails.pull")).toBe(GARMIN_INITIAL_HISTORY_DAYS);

    clock.advance(2 * 3600_000);
    fake.uploads.activityDetails.push({
      uploadedAt: nowSeconds() - 600,
      summary: garminActivityDetail(nowSeconds() - 5000, 4),
    });
    const next = await garmin.listActivities(grant, { cursor });
    expect(next.activities.map((a) => a.id)).toEqual(["x153a9f3-4-6"]);
    expect(next.hasMore).toBe(false);
  });

  it("maps an activity's summary, sample streams and laps; there is no read by id", async () => {
    const now = nowSeconds();
    fake.uploads.activityDetails = [{ uploadedAt: now - 3600, summary: garminActivityDetail(now - 7200, 7) }];
    const grant = await connect();
    let cursor: string | null = null;
    const found = [];
    for (let guard = 0; guard < 40; guard++) {
      const page = await garmin.listActivities(grant, { cursor });
      found.push(...page.activities);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const [a] = found;
    activitySchema.parse(a);
    expect(a).toMatchObject({
      sport: "ride",
      providerSport: "ROAD_BIKING",
      name: "Lunch Ride",
      utcOffsetSeconds: -25_200,
      elapsedSeconds: 1200,
      distanceMeters: 10_200,
      avgHeartRate: 139,
      calories: 240,
      device: "Edge 840",
    });
    expect(a!.streams!.timeSeconds.slice(0, 3)).toEqual([0, 5, 10]);
    expect(a!.streams!.powerWatts![3]).toBe(203);
    expect(a!.laps!.map((l) => [l.elapsedSeconds, l.avgPowerWatts])).toEqual([
      [600, 204.5],
      [600, 204.5],
    ]);
    await expect(garmin.getActivity(grant, a!.id, { streams: true })).rejects.toBeInstanceOf(UnsupportedOperationError);
  });

  it("reads sleep and HRV by calendar date across upload windows", async () => {
    const now = nowSeconds();
    fake.uploads.sleeps = [
      { uploadedAt: now - 2 * DAY, summary: garminSleep("2026-11-28", now - 2 * DAY - 30_000) },
      { uploadedAt: now - DAY, summary: garminSleep("2026-11-29", now - DAY - 30_000) },
      { uploadedAt: now - 5 * DAY, summary: garminSleep("2026-11-25", now - 5 * DAY - 30_000) },
    ];
    fake.uploads.hrv = [{ uploadedAt: now - DAY, summary: garminHrv("2026-11-29", 48) }];
    const grant = await connect();
    const sleep = await garmin.listSleep(grant, { from: "2026-11-28", to: "2026-11-29" });
    expect(sleep.map((s) => [s.date, s.minutesAsleep, s.stages])).toEqual([
      ["2026-11-28", 435, { deepMinutes: 90, lightMinutes: 240, remMinutes: 105, awakeMinutes: 15 }],
      ["2026-11-29", 435, { deepMinutes: 90, lightMinutes: 240, remMinutes: 105, awakeMinutes: 15 }],
    ]);
    expect(await garmin.listHrv(grant, { from: "2026-11-28", to: "2026-11-29" })).toEqual([
      { provider: "garmin", date: "2026-11-29", rmssdMs: 48, deepSleepRmssdMs: null, synthetic: false },
    ]);
  });
});
