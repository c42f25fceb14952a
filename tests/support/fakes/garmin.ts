// A local Garmin Connect Developer Program (OAuth 2.0 PKCE generation) with the shapes the integrations that
// quote Garmin's gated specifications agree on (see service/providers/garmin/index.ts for what is unconfirmed):
// /oauth2Confirm redirects with code + state; /di-oauth2-service/oauth/token checks the PKCE verifier, issues
// 24 h access tokens and ~90-day refresh tokens and rotates them (the old refresh token dies); the Wellness
// API answers /user/id, DELETE /user/registration (204, then tokens are dead) and pulls summaries by upload
// window (uploadStartTimeInSeconds/uploadEndTimeInSeconds, at most 86400 s, else 400).
import {
  type FakeClock,
  type FakeReply,
  type FakeRequest,
  type FakeServer,
  pkceMatches,
  randomToken,
  redirect,
  type Route,
  startFakeServer,
} from "./http.js";

type Summary = Record<string, unknown>;
interface Uploaded {
  uploadedAt: number;
  summary: Summary;
}

export interface GarminFake extends FakeServer {
  clientId: string;
  clientSecret: string;
  userId: string;
  consent: { approve: boolean };
  uploads: Record<"activityDetails" | "sleeps" | "hrv", Uploaded[]>;
}

export async function startGarminFake(clock: FakeClock): Promise<GarminFake> {
  const codes = new Map<string, { challenge: string; used: boolean }>();
  const refreshTokens = new Set<string>();
  const accessTokens = new Map<string, number>(); // token -> expiry ms
  let registered = true;

  function issue() {
    const access = randomToken("ga_");
    const refresh = randomToken("gr_");
    accessTokens.set(access, clock.now() + 86_400_000);
    refreshTokens.add(refresh);
    return {
      access_token: access,
      token_type: "bearer",
      refresh_token: refresh,
      expires_in: 86_400,
      refresh_token_expires_in: 7_775_998,
      scope: "ACTIVITY_EXPORT HEALTH_EXPORT",
      jti: randomToken(""),
    };
  }

  const authorized = (request: FakeRequest) =>
    registered && request.bearer !== null && (accessTokens.get(request.bearer) ?? 0) > clock.now();
  const unauthorized: FakeReply = { status: 401, body: { errorMessage: "Unauthorized" } };
  const invalidGrant: FakeReply = {
    status: 400,
    body: { error: "invalid_grant", error_description: "Invalid refresh token" },
  };

  function pull(kind: keyof GarminFake["uploads"]): Route {
    return {
      name: `${kind}.pull`,
      method: "GET",
      path: new RegExp(`^/wellness-api/rest/${kind}$`),
      handle(request) {
        if (!authorized(request)) return unauthorized;
        const from = Number(request.url.searchParams.get("uploadStartTimeInSeconds"));
        const to = Number(request.url.searchParams.get("uploadEndTimeInSeconds"));
        if (!Number.isInteger(from) || !Number.isInteger(to) || to <= from || to - from > 86_400) {
          return { status: 400, body: { errorMessage: "Invalid upload time range: must be at most 86400 seconds" } };
        }
        return {
          status: 200,
          body: fake.uploads[kind].filter((u) => u.uploadedAt >= from && u.uploadedAt < to).map((u) => u.summary),
        };
      },
    };
  }

  const routes: Route[] = [
    {
      name: "oauth.authorize",
      method: "GET",
      path: /^\/oauth2Confirm$/,
      handle({ url }) {
        const q = url.searchParams;
        if (
          q.get("client_id") !== fake.clientId ||
          q.get("response_type") !== "code" ||
          q.get("code_challenge_method") !== "S256" ||
          !q.get("code_challenge")
        ) {
          return { status: 400, body: "invalid request" };
        }
        const target = new URL(q.get("redirect_uri")!);
        if (fake.consent.approve) {
          const code = randomToken("");
          codes.set(code, { challenge: q.get("code_challenge")!, used: false });
          target.searchParams.set("code", code);
        } else {
          target.searchParams.set("error", "access_denied");
        }
        if (q.get("state")) target.searchParams.set("state", q.get("state")!);
        return redirect(target);
      },
    },
    {
      name: "oauth.token",
      method: "POST",
      path: /^\/di-oauth2-service\/oauth\/token$/,
      handle({ form }) {
        if (form.get("client_id") !== fake.clientId || form.get("client_secret") !== fake.clientSecret)
          return { status: 401, body: { error: "invalid_client" } };
        if (form.get("grant_type") === "authorization_code") {
          const code = codes.get(form.get("code") ?? "");
          if (!code || code.used || !pkceMatches(form.get("code_verifier") ?? "", code.challenge)) return invalidGrant;
          code.used = true;
          registered = true;
          return { status: 200, body: issue() };
        }
        if (form.get("grant_type") === "refresh_token") {
          const presented = form.get("refresh_token") ?? "";
          if (!refreshTokens.delete(presented)) return invalidGrant;
          return { status: 200, body: issue() };
        }
        return { status: 400, body: { error: "unsupported_grant_type" } };
      },
    },
    {
      name: "user.id",
      method: "GET",
      path: /^\/wellness-api\/rest\/user\/id$/,
      handle: (request) => (authorized(request) ? { status: 200, body: { userId: fake.userId } } : unauthorized),
    },
    {
      name: "user.deregister",
      method: "DELETE",
      path: /^\/wellness-api\/rest\/user\/registration$/,
      handle(request) {
        if (!authorized(request)) return unauthorized;
        registered = false;
        refreshTokens.clear();
        accessTokens.clear();
        return { status: 204 };
      },
    },
    pull("activityDetails"),
    pull("sleeps"),
    pull("hrv"),
  ];

  const server = await startFakeServer(routes);
  const fake: GarminFake = {
    ...server,
    clientId: "garmin-test-client",
    clientSecret: "garmin-test-secret",
    userId: "4aacafe82427c251df9c9592d0c06768",
    consent: { approve: true },
    uploads: { activityDetails: [], sleeps: [], hrv: [] },
  };
  return fake;
}

/** An activity-details summary (ride with power) started at `startSeconds`, one sample every 5 s. */
export function garminActivityDetail(startSeconds: number, index: number): Summary {
  const duration = 1200;
  const samples = Array.from({ length: duration / 5 }, (_, i) => ({
    startTimeInSeconds: startSeconds + i * 5,
    heartRate: 130 + (i % 20),
    powerInWatts: 200 + (i % 10),
    speedMetersPerSecond: 8.5,
    elevationInMeters: 100 + i / 10,
    timerDurationInSeconds: i * 5,
    totalDistanceInMeters: i * 42.5,
  }));
  return {
    userId: "4aacafe82427c251df9c9592d0c06768",
    summaryId: `x153a9f3-${index}-6`,
    activityId: 5_001_968_000 + index,
    summary: {
      activityName: "Lunch Ride",
      activityType: "ROAD_BIKING",
      startTimeInSeconds: startSeconds,
      startTimeOffsetInSeconds: -25_200,
      durationInSeconds: duration,
      distanceInMeters: 10_200,
      averageHeartRateInBeatsPerMinute: 139,
      maxHeartRateInBeatsPerMinute: 149,
      averageSpeedInMetersPerSecond: 8.5,
      activeKilocalories: 240,
      deviceName: "Edge 840",
      manual: false,
    },
    samples,
    laps: [{ startTimeInSeconds: startSeconds }, { startTimeInSeconds: startSeconds + 600 }],
  };
}

export function garminSleep(calendarDate: string, startSeconds: number): Summary {
  return {
    summaryId: `sleep-${calendarDate}`,
    calendarDate,
    startTimeInSeconds: startSeconds,
    startTimeOffsetInSeconds: -25_200,
    durationInSeconds: 27_000,
    deepSleepDurationInSeconds: 5_400,
    lightSleepDurationInSeconds: 14_400,
    remSleepInSeconds: 6_300,
    awakeDurationInSeconds: 900,
    validation: "ENHANCED_TENTATIVE",
  };
}

export function garminHrv(calendarDate: string, lastNightAvg: number): Summary {
  return {
    summaryId: `hrv-${calendarDate}`,
    calendarDate,
    lastNightAvg,
    lastNight5MinHigh: lastNightAvg + 20,
    startTimeOffsetInSeconds: -25_200,
    durationInSeconds: 25_000,
    hrvValues: { "300": 40 },
  };
}
