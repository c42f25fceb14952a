// Strava API v3. Confirmed against Strava's own documentation (developers.strava.com, read 2026-11-30 through
// the docs search index) and its swagger.json as summarized in shared/reference/providers.md §1:
//  - docs/rate-limits: per-application 15-minute and daily limits, overall and "non-upload" (read); windows
//    reset at :00/:15/:30/:45 and midnight UTC; every response carries X-RateLimit-Limit/-Usage and
//    X-ReadRateLimit-Limit/-Usage as "15min,daily"; over the limit 429 with a JSON message.
//  - docs/authentication: /oauth/authorize (comma-separated scope, approval_prompt, state; the redirect
//    carries code + the accepted scope, or error=access_denied), /oauth/token for the code and refresh
//    grants (expires_at in epoch seconds; the refresh token may rotate, the old one then dies), and
//    /oauth/deauthorize. No PKCE.
// Not confirmed by an official source: the per_page maximum (200 in old docs, the swagger is silent), so the
// end of the list is detected by an empty page rather than a short one.
import { z } from "zod";
import type { Activity, ActivityStreams, AthleteProfile, Lap, Sport } from "../fitness/model.js";
import { decodeCursor, encodeCursor, optionalNumber } from "./common.js";
import {
  BadResponseError,
  type ProviderError,
  RateLimitedError,
  ReauthorizationRequiredError,
  UnsupportedOperationError,
} from "./errors.js";
import {
  createOutbound,
  type FailedResponse,
  type OutboundDeps,
  type ProviderHttpProfile,
  type RetryPolicy,
} from "./outbound.js";
import type { FitnessProvider, RateLimitState, RateLimitWindow, TokenGrant } from "./types.js";

export interface StravaSettings {
  /** https://www.strava.com/api/v3 in production. */
  apiBaseUrl: string;
  /** https://www.strava.com/oauth in production. */
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
}

export const STRAVA_BASE_URLS = {
  apiBaseUrl: "https://www.strava.com/api/v3",
  oauthBaseUrl: "https://www.strava.com/oauth",
} as const;

// activity:read_all includes "Only Me" activities; profile:read_all gives weight and FTP.
export const STRAVA_SCOPES = ["read", "activity:read_all", "profile:read_all"] as const;
const PAGE_SIZE = 100;
const STREAM_KEYS = "time,heartrate,watts,velocity_smooth,altitude";

const errorBody = z.object({
  message: z.string().optional(),
  errors: z
    .array(z.object({ resource: z.string().optional(), field: z.string().optional(), code: z.string().optional() }))
    .optional(),
});

const tokenResponse = z.object({
  token_type: z.string(),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_at: z.number().int(),
  athlete: z.object({ id: z.number().int() }).optional(),
});

const summaryActivity = z.object({
  id: z.number().int(),
  name: z.string(),
  sport_type: z.string().optional(),
  type: z.string().optional(),
  start_date: z.iso.datetime(),
  start_date_local: z.string().optional(),
  utc_offset: optionalNumber,
  elapsed_time: z.number(),
  moving_time: optionalNumber,
  distance: optionalNumber,
  total_elevation_gain: optionalNumber,
  average_speed: optionalNumber,
  average_heartrate: optionalNumber,
  max_heartrate: optionalNumber,
  average_watts: optionalNumber,
  weighted_average_watts: optionalNumber,
  kilojoules: optionalNumber,
  device_watts: z.boolean().optional(),
});
type SummaryActivity = z.infer<typeof summaryActivity>;

const detailedActivity = summaryActivity.extend({
  calories: optionalNumber,
  device_name: z.string().nullable().optional(),
  laps: z
    .array(
      z.object({
        lap_index: z.number().int(),
        start_date: z.iso.datetime(),
        elapsed_time: z.number(),
        moving_time: optionalNumber,
        distance: optionalNumber,
        average_speed: optionalNumber,
        average_heartrate: optionalNumber,
        average_watts: optionalNumber,
      }),
    )
    .optional(),
});

const stream = z.object({ data: z.array(z.number().nullable()) });
const streamSet = z.object({
  time: stream.optional(),
  heartrate: stream.optional(),
  watts: stream.optional(),
  velocity_smooth: stream.optional(),
  altitude: stream.optional(),
});

const athlete = z.object({
  id: z.number().int(),
  firstname: z.string().nullable().optional(),
  lastname: z.string().nullable().optional(),
  sex: z.enum(["M", "F"]).nullable().optional(),
  weight: optionalNumber,
  ftp: optionalNumber,
});

const cursorSchema = z.object({
  after: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  newest: z.number().int().nonnegative(),
});

const SPORTS: Record<string, Sport> = {
  Run: "run",
  TrailRun: "run",
  VirtualRun: "run",
  Ride: "ride",
  MountainBikeRide: "ride",
  GravelRide: "ride",
  EBikeRide: "ride",
  EMountainBikeRide: "ride",
  VirtualRide: "ride",
  Velomobile: "ride",
  Swim: "swim",
  Walk: "walk",
  Hike: "hike",
  WeightTraining: "strength",
  Crossfit: "strength",
};

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

function utcOffsetOf(a: SummaryActivity): number {
  if (a.utc_offset !== null) return Math.round(a.utc_offset);
  // start_date_local is local wall time written with a Z suffix, so the difference is the offset.
  if (a.start_date_local) return Math.round((Date.parse(a.start_date_local) - Date.parse(a.start_date)) / 1000);
  return 0;
}

function mapSummary(a: SummaryActivity): Activity {
  const label = a.sport_type ?? a.type ?? null;
  return {
    id: String(a.id),
    provider: "strava",
    sport: (label && SPORTS[label]) || "other",
    providerSport: label,
    name: a.name,
    startTime: new Date(a.start_date).toISOString(),
    utcOffsetSeconds: utcOffsetOf(a),
    elapsedSeconds: a.elapsed_time,
    movingSeconds: a.moving_time,
    distanceMeters: a.distance,
    elevationGainMeters: a.total_elevation_gain,
    avgHeartRate: a.average_heartrate,
    maxHeartRate: a.max_heartrate,
    avgPowerWatts: a.average_watts,
    normalizedPowerWatts: a.weighted_average_watts,
    avgSpeedMps: a.average_speed,
    // Summaries carry no calories; for rides kilojoules of work ≈ kcal burned (≈24% efficiency x 4.184).
    calories: a.kilojoules,
    device: null,
    synthetic: false,
  };
}

function mapStreams(s: z.infer<typeof streamSet>): ActivityStreams | undefined {
  if (!s.time) return undefined;
  const time = s.time.data.map((t) => t ?? 0);
  const aligned = (x: { data: (number | null)[] } | undefined) =>
    x && x.data.length === time.length ? x.data : undefined;
  return {
    timeSeconds: time,
    heartRate: aligned(s.heartrate),
    powerWatts: aligned(s.watts),
    speedMps: aligned(s.velocity_smooth),
    altitudeMeters: aligned(s.altitude),
  };
}

export function createStravaProvider(
  settings: StravaSettings,
  deps: OutboundDeps,
  policy?: RetryPolicy,
): FitnessProvider {
  const http = createOutbound(stravaHttpProfile, deps, policy);
  const api = (path: string) => new URL(`${settings.apiBaseUrl}${path}`);
  const oauth = (path: string) => new URL(`${settings.oauthBaseUrl}${path}`);

  const toGrant = (t: z.infer<typeof tokenResponse>, scopes: string[]): TokenGrant => ({
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: new Date(t.expires_at * 1000),
    refreshTokenExpiresAt: null,
    scopes,
    externalUserId: t.athlete ? String(t.athlete.id) : null,
  });

  const tokenCall = (endpointKind: string, form: Record<string, string>) =>
    http.send({
      endpointKind,
      method: "POST",
      url: oauth("/token"),
      form: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, ...form }),
      idempotent: false,
      schema: tokenResponse,
    });

  return {
    id: "strava",
    capabilities: {
      browser: true,
      pkce: false,
      activityById: true,
      streams: true,
      sleep: false,
      hrv: false,
      revoke: true,
    },

    authorizationUrl({ state, redirectUri }) {
      const url = oauth("/authorize");
      url.search = new URLSearchParams({
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        response_type: "code",
        approval_prompt: "auto",
        scope: STRAVA_SCOPES.join(","),
        state,
      }).toString();
      return url;
    },

    async exchangeCode({ code, callbackScope }) {
      const t = await tokenCall("oauth.code", { code, grant_type: "authorization_code" });
      return toGrant(t, callbackScope ? callbackScope.split(",").filter(Boolean) : []);
    },

    async refresh(refreshToken) {
      const t = await tokenCall("oauth.refresh", { refresh_token: refreshToken, grant_type: "refresh_token" });
      return toGrant(t, []);
    },

    async revoke({ accessToken }) {
      try {
        await http.send({
          endpointKind: "oauth.deauthorize",
          method: "POST",
          url: oauth("/deauthorize"),
          form: new URLSearchParams({ access_token: accessToken }),
          idempotent: true,
          schema: null,
        });
      } catch (error) {
        // An already-dead grant is the outcome asked for.
        if ((error as ProviderError).kind !== "reauthorization_required") throw error;
      }
    },

    async listActivities(auth, { cursor }) {
      const at = cursor ? decodeCursor(cursorSchema, cursor) : { after: 0, page: 1, newest: 0 };
      const url = api("/athlete/activities");
      url.search = new URLSearchParams({
        after: String(at.after),
        page: String(at.page),
        per_page: String(PAGE_SIZE),
      }).toString();
      const page = await http.send({
        endpointKind: "activities.list",
        method: "GET",
        url,
        bearer: auth.accessToken,
        idempotent: true,
        schema: z.array(summaryActivity),
      });
      const newest = page.reduce((max, a) => Math.max(max, Math.floor(Date.parse(a.start_date) / 1000)), at.newest);
      const hasMore = page.length > 0;
      // Once the list is exhausted, the next sync asks only for what started after the newest activity seen.
      const next = hasMore ? { after: at.after, page: at.page + 1, newest } : { after: newest, page: 1, newest };
      return { activities: page.map(mapSummary), cursor: encodeCursor(next), hasMore };
    },

    async getActivity(auth, id, { streams }) {
      if (!/^\d+$/.test(id)) throw new BadResponseError("strava", "activities.get", null, "activity ids are numeric");
      const detail = await http.send({
        endpointKind: "activities.get",
        method: "GET",
        url: api(`/activities/${id}`),
        bearer: auth.accessToken,
        idempotent: true,
        schema: detailedActivity,
      });
      const activity = mapSummary(detail);
      activity.calories = detail.calories ?? activity.calories;
      activity.device = detail.device_name ?? null;
      activity.laps = (detail.laps ?? []).map(
        (l): Lap => ({
          index: l.lap_index - 1,
          startTime: new Date(l.start_date).toISOString(),
          elapsedSeconds: l.elapsed_time,
          movingSeconds: l.moving_time,
          distanceMeters: l.distance,
          avgHeartRate: l.average_heartrate,
          avgPowerWatts: l.average_watts,
          avgSpeedMps: l.average_speed,
        }),
      );
      if (streams) {
        const url = api(`/activities/${id}/streams`);
        url.search = new URLSearchParams({ keys: STREAM_KEYS, key_by_type: "true" }).toString();
        try {
          activity.streams = mapStreams(
            await http.send({
              endpointKind: "activities.streams",
              method: "GET",
              url,
              bearer: auth.accessToken,
              idempotent: true,
              schema: streamSet,
            }),
          );
        } catch (error) {
          // Manual activities have no streams: Strava answers 404 for them.
          if (!(error instanceof BadResponseError && error.status === 404)) throw error;
        }
      }
      return activity;
    },

    async getAthlete(auth): Promise<AthleteProfile> {
      const a = await http.send({
        endpointKind: "athlete.get",
        method: "GET",
        url: api("/athlete"),
        bearer: auth.accessToken,
        idempotent: true,
        schema: athlete,
      });
      const name = [a.firstname, a.lastname].filter(Boolean).join(" ");
      return {
        provider: "strava",
        externalId: String(a.id),
        displayName: name || null,
        sex: a.sex === "M" ? "male" : a.sex === "F" ? "female" : null,
        weightKg: a.weight,
        ftpWatts: a.ftp,
        maxHeartRate: null,
        restingHeartRate: null,
        synthetic: false,
      };
    },

    async listSleep() {
      throw new UnsupportedOperationError("strava", "sleep.list");
    },
    async listHrv() {
      throw new UnsupportedOperationError("strava", "hrv.list");
    },
  };
}
