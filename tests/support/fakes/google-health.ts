// A local Google OAuth 2.0 + Google Health API v4 speaking the real shapes (Google's generated client
// src/apis/health/v4.ts, developers.google.com/health/filters, identity/protocols/oauth2/web-server):
// /o/oauth2/v2/auth redirects with code + state (or error=access_denied) after checking the S256 challenge
// parameters; /token exchanges single-use codes only with the matching code_verifier, refreshes without
// rotating the refresh token, and answers 400 invalid_grant for a revoked grant; /revoke kills the grant;
// /v4/users/me/dataTypes/{type}/dataPoints pages with pageToken under AIP-160 filters (only >= and <,
// snake_case types, the documented filter fields), exercise and sleep capped at 25 per page; errors are
// {"error":{"code","message","status"}}.
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

type DataPoint = Record<string, unknown> & { name?: string };

export interface GoogleHealthFake extends FakeServer {
  clientId: string;
  clientSecret: string;
  healthUserId: string;
  consent: { approve: true; scope?: string } | { approve: false };
  points: Record<"exercise" | "sleep" | "daily-heart-rate-variability" | "heart-rate", DataPoint[]>;
}

const FILTER_FIELDS: Record<string, string[]> = {
  exercise: ["interval.civil_start_time"],
  sleep: ["interval.civil_end_time", "interval.end_time"],
  daily_heart_rate_variability: ["date"],
  heart_rate: ["sample_time.physical_time"],
};
const MAX_PAGE: Record<string, number> = { exercise: 25, sleep: 25 };

const apiError = (code: number, status: string, message: string): FakeReply => ({
  status: code,
  body: { error: { code, message, status } },
});
const offsetSeconds = (d: unknown) => Number(String(d ?? "0s").replace(/s$/, ""));
const civil = (instant: string, offset: unknown) =>
  new Date(Date.parse(instant) + offsetSeconds(offset) * 1000).toISOString().slice(0, 19);

/** The value a filter field has on a data point, as a comparable string. */
function fieldValue(field: string, point: DataPoint): string {
  const session = (point.exercise ?? point.sleep) as
    | { interval: { startTime: string; endTime: string; startUtcOffset?: string; endUtcOffset?: string } }
    | undefined;
  if (field === "interval.civil_start_time")
    return civil(session!.interval.startTime, session!.interval.startUtcOffset);
  if (field === "interval.civil_end_time") return civil(session!.interval.endTime, session!.interval.endUtcOffset);
  if (field === "interval.end_time") return new Date(session!.interval.endTime).toISOString();
  if (field === "sample_time.physical_time")
    return new Date(
      (point.heartRate as { sampleTime: { physicalTime: string } }).sampleTime.physicalTime,
    ).toISOString();
  const date = (point.dailyHeartRateVariability as { date: { year: number; month: number; day: number } }).date;
  return `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

/** Parses `a.b >= "x" AND a.b < "y"`; null when the filter breaks the documented rules. */
function compileFilter(type: string, filter: string | null): ((p: DataPoint) => boolean) | null {
  if (!filter) return () => true;
  const terms = filter.split(" AND ").map((t) => /^([a-z_]+)\.([a-z_.]+) (>=|<) "([^"]+)"$/.exec(t.trim()));
  if (terms.some((t) => !t || t[1] !== type || !FILTER_FIELDS[type]?.includes(t[2]!))) return null;
  return (point) =>
    terms.every((t) => {
      const [, , field, op, literal] = t!;
      let value = fieldValue(field!, point);
      let bound = literal!;
      if (field === "interval.end_time" || field === "sample_time.physical_time") bound = new Date(bound).toISOString();
      else if (field !== "date") {
        // Civil literals may omit the time of day.
        if (bound.length === 10) bound += "T00:00:00";
        value = value.slice(0, 19);
      }
      return op === ">=" ? value >= bound : value < bound;
    });
}

export async function startGoogleHealthFake(clock: FakeClock): Promise<GoogleHealthFake> {
  const codes = new Map<string, { challenge: string; redirectUri: string; scope: string; used: boolean }>();
  const grants = new Map<string, { alive: boolean; scope: string }>(); // by refresh token
  const accessTokens = new Map<string, { expiresAt: number; refreshToken: string }>();

  function mint(refreshToken: string) {
    const access = randomToken("ya29.");
    accessTokens.set(access, { expiresAt: clock.now() + 3599_000, refreshToken });
    return access;
  }

  function authorized(request: FakeRequest) {
    const t = request.bearer ? accessTokens.get(request.bearer) : undefined;
    return t !== undefined && t.expiresAt > clock.now() && grants.get(t.refreshToken)?.alive === true;
  }
  const unauthenticated = apiError(
    401,
    "UNAUTHENTICATED",
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
  );

  const routes: Route[] = [
    {
      name: "oauth.authorize",
      method: "GET",
      path: /^\/o\/oauth2\/v2\/auth$/,
      handle({ url }) {
        const q = url.searchParams;
        if (
          q.get("client_id") !== fake.clientId ||
          q.get("response_type") !== "code" ||
          !q.get("redirect_uri") ||
          !q.get("scope")
        ) {
          return { status: 400, body: "Error 400: invalid_request" };
        }
        if (q.has("code_challenge") && q.get("code_challenge_method") !== "S256")
          return { status: 400, body: "Error 400: invalid_request" };
        const target = new URL(q.get("redirect_uri")!);
        if (!fake.consent.approve) {
          target.searchParams.set("error", "access_denied");
        } else {
          const code = randomToken("4/0A");
          codes.set(code, {
            challenge: q.get("code_challenge") ?? "",
            redirectUri: q.get("redirect_uri")!,
            scope: fake.consent.scope ?? q.get("scope")!,
            used: false,
          });
          target.searchParams.set("code", code);
          target.searchParams.set("scope", fake.consent.scope ?? q.get("scope")!);
        }
        if (q.get("state")) target.searchParams.set("state", q.get("state")!);
        return redirect(target);
      },
    },
    {
      name: "oauth.token",
      method: "POST",
      path: /^\/token$/,
      handle({ form }) {
        if (form.get("client_id") !== fake.clientId || form.get("client_secret") !== fake.clientSecret) {
          return { status: 401, body: { error: "invalid_client", error_description: "Unauthorized" } };
        }
        const invalidGrant: FakeReply = {
          status: 400,
          body: { error: "invalid_grant", error_description: "Bad Request" },
        };
        if (form.get("grant_type") === "authorization_code") {
          const code = codes.get(form.get("code") ?? "");
          if (!code || code.used || code.redirectUri !== form.get("redirect_uri")) return invalidGrant;
          code.used = true;
          if (code.challenge && !pkceMatches(form.get("code_verifier") ?? "", code.challenge)) return invalidGrant;
          const refresh = randomToken("1//0g");
          grants.set(refresh, { alive: true, scope: code.scope });
          return {
            status: 200,
            body: {
              access_token: mint(refresh),
              expires_in: 3599,
              refresh_token: refresh,
              scope: code.scope,
              token_type: "Bearer",
            },
          };
        }
        if (form.get("grant_type") === "refresh_token") {
          const refresh = form.get("refresh_token") ?? "";
          const grant = grants.get(refresh);
          if (!grant?.alive)
            return {
              status: 400,
              body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
            };
          return {
            status: 200,
            body: { access_token: mint(refresh), expires_in: 3599, scope: grant.scope, token_type: "Bearer" },
          };
        }
        return { status: 400, body: { error: "unsupported_grant_type", error_description: "Invalid grant_type" } };
      },
    },
    {
      name: "oauth.revoke",
      method: "POST",
      path: /^\/revoke$/,
      handle({ form }) {
        const token = form.get("token") ?? "";
        const refresh = grants.has(token) ? token : accessTokens.get(token)?.refreshToken;
        const grant = refresh ? grants.get(refresh) : undefined;
        if (!grant?.alive)
          return { status: 400, body: { error: "invalid_token", error_description: "Token expired or revoked" } };
        grant.alive = false;
        return { status: 200, body: {} };
      },
    },
    {
      name: "identity.get",
      method: "GET",
      path: /^\/v4\/users\/me\/identity$/,
      handle: (request) =>
        authorized(request)
          ? {
              status: 200,
              body: { name: "users/me/identity", healthUserId: fake.healthUserId, legacyUserId: "ABC123" },
            }
          : unauthenticated,
    },
    {
      name: "dataPoints.get",
      method: "GET",
      path: /^\/v4\/users\/me\/dataTypes\/(?<type>[a-z-]+)\/dataPoints\/(?<id>[A-Za-z0-9-]+)$/,
      handle(request, { type, id }) {
        if (!authorized(request)) return unauthenticated;
        const point = (fake.points as Record<string, DataPoint[]>)[type!]?.find((p) => p.name?.endsWith(`/${id}`));
        return point ? { status: 200, body: point } : apiError(404, "NOT_FOUND", "Data point not found.");
      },
    },
    {
      name: "dataPoints.list",
      method: "GET",
      path: /^\/v4\/users\/me\/dataTypes\/(?<type>[a-z-]+)\/dataPoints$/,
      handle(request, { type }) {
        if (!authorized(request)) return unauthenticated;
        const all = (fake.points as Record<string, DataPoint[]>)[type!];
        if (!all) return apiError(404, "NOT_FOUND", "Unknown data type.");
        const snake = type!.replaceAll("-", "_");
        const q = request.url.searchParams;
        const matches = compileFilter(snake, q.get("filter"));
        if (!matches) return apiError(400, "INVALID_ARGUMENT", "INVALID_DATA_POINT_FILTER");
        const pageSize = Math.min(Number(q.get("pageSize") ?? MAX_PAGE[snake] ?? 1440), MAX_PAGE[snake] ?? 10_000);
        const offset = q.get("pageToken") ? Number(Buffer.from(q.get("pageToken")!, "base64url").toString()) : 0;
        const selected = all.filter(matches);
        const page = selected.slice(offset, offset + pageSize);
        const next =
          offset + pageSize < selected.length
            ? Buffer.from(String(offset + pageSize)).toString("base64url")
            : undefined;
        return { status: 200, body: next ? { dataPoints: page, nextPageToken: next } : { dataPoints: page } };
      },
    },
  ];

  const server = await startFakeServer(routes);
  const fake: GoogleHealthFake = {
    ...server,
    clientId: "pierre-test.apps.googleusercontent.com",
    clientSecret: "google-test-secret",
    healthUserId: "hUx9-42",
    consent: { approve: true },
    points: { exercise: [], sleep: [], "daily-heart-rate-variability": [], "heart-rate": [] },
  };
  return fake;
}

/** An exercise data point `index` days after 2026-01-01 06:30 UTC, one hour long, at UTC+1. */
export function googleExercise(index: number, type = "RUNNING"): DataPoint {
  const start = Date.UTC(2026, 0, 1, 6, 30) + index * 86_400_000;
  const id = `ex-${String(index).padStart(4, "0")}`;
  return {
    name: `users/hUx9-42/dataTypes/exercise/dataPoints/${id}`,
    dataSource: {
      recordingMethod: "ACTIVELY_MEASURED",
      device: { displayName: "Pixel Watch 3", manufacturer: "Google" },
      platform: "FITBIT",
    },
    exercise: {
      displayName: type === "RUNNING" ? "Run" : "Bike",
      exerciseType: type,
      interval: {
        startTime: new Date(start).toISOString(),
        startUtcOffset: "3600s",
        endTime: new Date(start + 3600_000).toISOString(),
        endUtcOffset: "3600s",
      },
      activeDuration: "3480s",
      metricsSummary: {
        distanceMillimeters: 10_000_000 + index,
        elevationGainMillimeters: 85_000,
        averageHeartRateBeatsPerMinute: "152",
        averageSpeedMillimetersPerSecond: 2873.6,
        caloriesKcal: 702.5,
        steps: "9800",
      },
      splitSummaries: [
        {
          startTime: new Date(start).toISOString(),
          startUtcOffset: "3600s",
          endTime: new Date(start + 1800_000).toISOString(),
          endUtcOffset: "3600s",
          activeDuration: "1750s",
          splitType: "DISTANCE",
          metricsSummary: { distanceMillimeters: 5_000_000, averageHeartRateBeatsPerMinute: "148" },
        },
        {
          startTime: new Date(start + 1800_000).toISOString(),
          startUtcOffset: "3600s",
          endTime: new Date(start + 3600_000).toISOString(),
          endUtcOffset: "3600s",
          activeDuration: "1730s",
          splitType: "DISTANCE",
          metricsSummary: { distanceMillimeters: 5_000_000 + index, averageHeartRateBeatsPerMinute: "156" },
        },
      ],
      createTime: new Date(start + 3700_000).toISOString(),
      updateTime: new Date(start + 3700_000).toISOString(),
    },
  };
}

/** Heart-rate samples every `every` seconds over [start, start + seconds). */
export function googleHeartRate(start: string, seconds: number, every = 5): DataPoint[] {
  const t0 = Date.parse(start);
  return Array.from({ length: Math.floor(seconds / every) }, (_, i) => ({
    dataSource: { platform: "FITBIT" },
    heartRate: {
      beatsPerMinute: String(120 + (i % 40)),
      sampleTime: { physicalTime: new Date(t0 + i * every * 1000).toISOString(), utcOffset: "3600s" },
    },
  }));
}

/** A main sleep ending on `date` at 07:00 local (UTC+1): "stages" with a breakdown, or "classic" without. */
export function googleSleep(date: string, kind: "stages" | "classic" = "stages"): DataPoint {
  const end = Date.parse(`${date}T06:00:00Z`);
  const stages =
    kind === "stages"
      ? [
          { type: "AWAKE", minutes: "32", count: "9" },
          { type: "LIGHT", minutes: "250", count: "20" },
          { type: "DEEP", minutes: "80", count: "5" },
          { type: "REM", minutes: "100", count: "6" },
        ]
      : [
          { type: "AWAKE", minutes: "20", count: "3" },
          { type: "RESTLESS", minutes: "15", count: "7" },
          { type: "ASLEEP", minutes: "415", count: "1" },
        ];
  return {
    name: `users/hUx9-42/dataTypes/sleep/dataPoints/sl-${date}`,
    sleep: {
      interval: {
        startTime: new Date(end - 462 * 60_000).toISOString(),
        startUtcOffset: "3600s",
        endTime: new Date(end).toISOString(),
        endUtcOffset: "3600s",
      },
      type: kind === "stages" ? "STAGES" : "CLASSIC",
      metadata: { nap: false, processed: true, manuallyEdited: false },
      summary: {
        minutesAsleep: kind === "stages" ? "430" : "415",
        minutesAwake: kind === "stages" ? "32" : "20",
        minutesInSleepPeriod: "462",
        stagesSummary: stages,
      },
    },
  };
}

export function googleHrv(date: string, rmssd: number): DataPoint {
  const [year, month, day] = date.split("-").map(Number);
  return {
    dataSource: { platform: "FITBIT" },
    dailyHeartRateVariability: {
      date: { year, month, day },
      averageHeartRateVariabilityMilliseconds: rmssd,
      deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds: rmssd + 6.5,
      nonRemHeartRateBeatsPerMinute: "52",
    },
  };
}
