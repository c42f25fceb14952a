// A local Strava speaking API v3's real shapes (developers.strava.com docs/authentication, docs/rate-limits,
// swagger): /oauth/authorize redirects with code + accepted scope (or error=access_denied); /oauth/token
// exchanges single-use codes and refreshes (same access token while more than an hour is left, rotation kills
// the old refresh token with 400 RefreshToken/invalid); /oauth/deauthorize revokes everything, after which
// API calls answer 401; /api/v3 lists activities by after/page/per_page ([] past the end), details with laps,
// streams keyed by type, the athlete; every API answer carries X-RateLimit-* and X-ReadRateLimit-* and 429
// past the limit.
import {
  type FakeClock,
  type FakeReply,
  type FakeRequest,
  type FakeServer,
  randomToken,
  redirect,
  type Route,
  startFakeServer,
} from "./http.js";

export interface StravaFakeActivity {
  id: number;
  name: string;
  sport_type: string;
  start_date: string;
  utc_offset: number;
  elapsed_time: number;
  moving_time: number;
  distance: number;
  total_elevation_gain: number;
  average_speed: number;
  average_heartrate?: number;
  max_heartrate?: number;
  average_watts?: number;
  weighted_average_watts?: number;
  calories?: number;
  device_name?: string;
  laps?: {
    lap_index: number;
    start_date: string;
    elapsed_time: number;
    moving_time: number;
    distance: number;
    average_speed: number;
    average_heartrate?: number;
  }[];
  streams?: Partial<Record<"time" | "heartrate" | "watts" | "velocity_smooth" | "altitude", number[]>>;
}

interface Athlete {
  id: number;
  activities: StravaFakeActivity[];
}

export interface StravaFake extends FakeServer {
  clientId: string;
  clientSecret: string;
  athlete: Athlete;
  /** What the next authorization does: the user approves (with these scopes) or denies. */
  consent: { approve: true; scope: string } | { approve: false };
  /** Rate-limit counters the headers report: [15-minute, daily]. */
  limits: { overall: [number, number]; read: [number, number] };
  usage: { overall: [number, number]; read: [number, number] };
  rotateRefreshTokens: boolean;
}

const SIX_HOURS = 6 * 3600;

function errorBody(message: string, resource: string, field: string, code: string) {
  return { message, errors: [{ resource, field, code }] };
}

export async function startStravaFake(clock: FakeClock): Promise<StravaFake> {
  const codes = new Map<string, { scope: string; used: boolean }>();
  const accessTokens = new Map<string, { expiresAt: number }>();
  const refreshTokens = new Set<string>();

  function issue(): { access_token: string; refresh_token: string; expires_at: number; expires_in: number } {
    const access = randomToken("sa_");
    const refresh = randomToken("sr_");
    const expiresAt = Math.floor(clock.now() / 1000) + SIX_HOURS;
    accessTokens.set(access, { expiresAt });
    refreshTokens.add(refresh);
    return { access_token: access, refresh_token: refresh, expires_at: expiresAt, expires_in: SIX_HOURS };
  }

  const authorized = (request: FakeRequest) => {
    const token = request.bearer ? accessTokens.get(request.bearer) : undefined;
    return token !== undefined && token.expiresAt > clock.now() / 1000;
  };
  const unauthorized: FakeReply = {
    status: 401,
    body: errorBody("Authorization Error", "Athlete", "access_token", "invalid"),
  };
  const activityOf = (id: string) => fake.athlete.activities.find((a) => String(a.id) === id);

  const summary = (a: StravaFakeActivity) => {
    // SummaryActivity has no laps, streams, calories or device name: those are DetailedActivity only.
    const rest: Partial<StravaFakeActivity> = { ...a };
    for (const key of ["laps", "streams", "calories", "device_name"] as const) delete rest[key];
    const local = new Date(Date.parse(a.start_date) + a.utc_offset * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    return {
      ...rest,
      resource_state: 2,
      type: a.sport_type,
      start_date_local: local,
      timezone: "(GMT+01:00) Europe/Paris",
      athlete: { id: fake.athlete.id },
    };
  };

  const routes: Route[] = [
    {
      name: "oauth.authorize",
      method: "GET",
      path: /^\/oauth\/authorize$/,
      handle({ url }) {
        const q = url.searchParams;
        if (q.get("client_id") !== fake.clientId || q.get("response_type") !== "code" || !q.get("redirect_uri")) {
          return { status: 400, body: errorBody("Bad Request", "Application", "client_id", "invalid") };
        }
        const target = new URL(q.get("redirect_uri")!);
        const state = q.get("state");
        if (state) target.searchParams.set("state", state);
        if (!fake.consent.approve) {
          target.searchParams.set("error", "access_denied");
          return redirect(target);
        }
        const code = randomToken("sc_");
        codes.set(code, { scope: fake.consent.scope, used: false });
        target.searchParams.set("code", code);
        target.searchParams.set("scope", fake.consent.scope);
        return redirect(target);
      },
    },
    {
      name: "oauth.token",
      method: "POST",
      path: /^\/oauth\/token$/,
      handle({ form }) {
        if (form.get("client_id") !== fake.clientId || form.get("client_secret") !== fake.clientSecret) {
          return { status: 401, body: errorBody("Authorization Error", "Application", "client_id", "invalid") };
        }
        if (form.get("grant_type") === "authorization_code") {
          const code = codes.get(form.get("code") ?? "");
          if (!code || code.used)
            return { status: 400, body: errorBody("Bad Request", "AuthorizationCode", "code", "invalid") };
          code.used = true;
          return {
            status: 200,
            body: {
              token_type: "Bearer",
              ...issue(),
              athlete: { id: fake.athlete.id, firstname: "Ada", lastname: "Runner" },
            },
          };
        }
        if (form.get("grant_type") === "refresh_token") {
          const presented = form.get("refresh_token") ?? "";
          if (!refreshTokens.has(presented))
            return { status: 400, body: errorBody("Bad Request", "RefreshToken", "refresh_token", "invalid") };
          // Strava hands back the current access token while it has more than an hour left.
          const live = [...accessTokens].find(([, t]) => t.expiresAt - clock.now() / 1000 > 3600);
          if (live && !fake.rotateRefreshTokens) {
            return {
              status: 200,
              body: {
                token_type: "Bearer",
                access_token: live[0],
                refresh_token: presented,
                expires_at: live[1].expiresAt,
                expires_in: Math.round(live[1].expiresAt - clock.now() / 1000),
              },
            };
          }
          const issued = issue();
          if (fake.rotateRefreshTokens) refreshTokens.delete(presented);
          else {
            refreshTokens.delete(issued.refresh_token);
            issued.refresh_token = presented;
          }
          return { status: 200, body: { token_type: "Bearer", ...issued } };
        }
        return { status: 400, body: errorBody("Bad Request", "Application", "grant_type", "invalid") };
      },
    },
    {
      name: "oauth.deauthorize",
      method: "POST",
      path: /^\/oauth\/deauthorize$/,
      handle({ form }) {
        const token = form.get("access_token") ?? "";
        if (!accessTokens.has(token)) return unauthorized;
        accessTokens.clear();
        refreshTokens.clear();
        return { status: 200, body: { access_token: token } };
      },
    },
    {
      name: "activities.list",
      method: "GET",
      path: /^\/api\/v3\/athlete\/activities$/,
      handle(request) {
        if (!authorized(request)) return unauthorized;
        const q = request.url.searchParams;
        const perPage = Number(q.get("per_page") ?? 30);
        const page = Number(q.get("page") ?? 1);
        if (perPage > 200 || perPage < 1 || page < 1)
          return { status: 400, body: errorBody("Bad Request", "Activity", "per_page", "invalid") };
        const after = q.has("after") ? Number(q.get("after")) : null;
        const before = q.has("before") ? Number(q.get("before")) : null;
        const epoch = (a: StravaFakeActivity) => Date.parse(a.start_date) / 1000;
        const selected = fake.athlete.activities
          .filter((a) => (after === null || epoch(a) > after) && (before === null || epoch(a) < before))
          // Newest first, except that `after` alone lists oldest first.
          .sort((a, b) => (after !== null && before === null ? epoch(a) - epoch(b) : epoch(b) - epoch(a)));
        return { status: 200, body: selected.slice((page - 1) * perPage, page * perPage).map(summary) };
      },
    },
    {
      name: "activities.streams",
      method: "GET",
      path: /^\/api\/v3\/activities\/(?<id>\d+)\/streams$/,
      handle(request, { id }) {
        if (!authorized(request)) return unauthorized;
        const activity = activityOf(id!);
        if (!activity?.streams)
          return { status: 404, body: errorBody("Record Not Found", "Activity", "id", "invalid") };
        if (request.url.searchParams.get("key_by_type") !== "true")
          return { status: 400, body: errorBody("Bad Request", "Stream", "key_by_type", "invalid") };
        const keys = (request.url.searchParams.get("keys") ?? "").split(",");
        const body: Record<string, unknown> = {};
        for (const [type, data] of Object.entries(activity.streams)) {
          if (keys.includes(type))
            body[type] = { data, series_type: "time", original_size: data.length, resolution: "high" };
        }
        return { status: 200, body };
      },
    },
    {
      name: "activities.get",
      method: "GET",
      path: /^\/api\/v3\/activities\/(?<id>\d+)$/,
      handle(request, { id }) {
        if (!authorized(request)) return unauthorized;
        const activity = activityOf(id!);
        if (!activity) return { status: 404, body: errorBody("Record Not Found", "Activity", "id", "invalid") };
        return {
          status: 200,
          body: {
            ...summary(activity),
            resource_state: 3,
            calories: activity.calories ?? 0,
            device_name: activity.device_name,
            laps: activity.laps ?? [],
          },
        };
      },
    },
    {
      name: "athlete.get",
      method: "GET",
      path: /^\/api\/v3\/athlete$/,
      handle(request) {
        if (!authorized(request)) return unauthorized;
        return {
          status: 200,
          body: {
            id: fake.athlete.id,
            firstname: "Ada",
            lastname: "Runner",
            sex: "F",
            weight: 58.5,
            ftp: 240,
            resource_state: 3,
          },
        };
      },
    },
  ];

  // Every API answer reports usage; past a limit the answer is Strava's 429.
  const decorate = (request: FakeRequest, _route: Route, reply: FakeReply): FakeReply => {
    if (!request.url.pathname.startsWith("/api/v3/")) return reply;
    const counters = [fake.usage.overall, request.method === "GET" ? fake.usage.read : null];
    for (const c of counters) {
      if (!c) continue;
      c[0]++;
      c[1]++;
    }
    const over = (u: [number, number], l: [number, number]) => u[0] > l[0] || u[1] > l[1];
    const headers = {
      "x-ratelimit-limit": fake.limits.overall.join(","),
      "x-ratelimit-usage": fake.usage.overall.join(","),
      "x-readratelimit-limit": fake.limits.read.join(","),
      "x-readratelimit-usage": fake.usage.read.join(","),
    };
    if (over(fake.usage.overall, fake.limits.overall) || over(fake.usage.read, fake.limits.read)) {
      return { status: 429, headers, body: errorBody("Rate Limit Exceeded", "Application", "rate limit", "exceeded") };
    }
    return { ...reply, headers: { ...reply.headers, ...headers } };
  };

  const server = await startFakeServer(routes, decorate);
  const fake: StravaFake = {
    ...server,
    clientId: "12345",
    clientSecret: "strava-test-secret",
    athlete: { id: 9001, activities: [] },
    consent: { approve: true, scope: "read,activity:read_all,profile:read_all" },
    limits: { overall: [200, 2000], read: [100, 1000] },
    usage: { overall: [0, 0], read: [0, 0] },
    rotateRefreshTokens: true,
  };
  return fake;
}

/** A plausible run started `index` days after 2026-01-01 07:00 UTC; streams and laps only when asked. */
export function stravaActivity(index: number, options: { streams?: boolean; sport?: string } = {}): StravaFakeActivity {
  const start = Date.UTC(2026, 0, 1, 7) + index * 86_400_000;
  const seconds = 1800;
  const activity: StravaFakeActivity = {
    id: 10_000_000_000 + index,
    name: `Morning run ${index}`,
    sport_type: options.sport ?? "Run",
    start_date: new Date(start).toISOString().replace(/\.\d+Z$/, "Z"),
    utc_offset: 3600,
    elapsed_time: seconds,
    moving_time: seconds - 30,
    distance: 6000 + index,
    total_elevation_gain: 42,
    average_speed: 3.39,
    average_heartrate: 148.2,
    max_heartrate: 171,
    calories: 410,
    device_name: "Garmin Forerunner 265",
    laps: [
      {
        lap_index: 1,
        start_date: new Date(start).toISOString(),
        elapsed_time: 900,
        moving_time: 880,
        distance: 3000,
        average_speed: 3.4,
        average_heartrate: 145,
      },
      {
        lap_index: 2,
        start_date: new Date(start + 900_000).toISOString(),
        elapsed_time: 900,
        moving_time: 890,
        distance: 3000 + index,
        average_speed: 3.37,
        average_heartrate: 151,
      },
    ],
  };
  if (options.streams) {
    const time = Array.from({ length: 181 }, (_, i) => i * 10);
    activity.streams = {
      time,
      heartrate: time.map((t) => 120 + Math.round(t / 60)),
      velocity_smooth: time.map(() => 3.39),
      altitude: time.map((t) => 50 + (t % 300) / 10),
    };
  }
  return activity;
}
