// Garmin Connect Developer Program, OAuth 2.0 + PKCE generation (OAuth 1.0a retires 2026-12-31). Garmin's
// specifications are gated behind the programme; NOTHING below is confirmed by a public official source.
// Checked 2026-11-30 through the code/docs search index, these points agree across independent integrations
// (Nango's garmin-oauth2 docs, several open-source clients quoting Garmin's OAuth2PKCE PDF, and the digest
// in shared/reference/providers.md §3):
//  - authorize GET https://connect.garmin.com/oauth2Confirm (response_type=code, client_id, code_challenge,
//    code_challenge_method=S256, redirect_uri, state; no scope);
//  - token POST https://diauth.garmin.com/di-oauth2-service/oauth/token, form with client_id/client_secret,
//    code + code_verifier or refresh_token; response access_token, expires_in (86400), refresh_token,
//    refresh_token_expires_in (~90 days), token_type, scope; a refresh returns a new refresh token;
//  - GET https://apis.garmin.com/wellness-api/rest/user/id -> {userId}; DELETE .../user/registration (204)
//    disconnects;
//  - pull GET .../rest/{activityDetails|sleeps|hrv}?uploadStartTimeInSeconds&uploadEndTimeInSeconds, windows of
//    at most 86400 s; activity details {summaryId, activityId, summary{activityName, activityType,
//    startTimeInSeconds, startTimeOffsetInSeconds, durationInSeconds, distanceInMeters, ...}, samples[{
//    startTimeInSeconds, heartRate, powerInWatts, speedMetersPerSecond, elevationInMeters,
//    timerDurationInSeconds}], laps[{startTimeInSeconds}]}; sleeps {summaryId, calendarDate,
//    startTimeInSeconds, startTimeOffsetInSeconds, durationInSeconds, deep/light/awakeDurationInSeconds,
//    remSleepInSeconds}; hrv {summaryId, calendarDate, lastNightAvg, lastNight5MinHigh}.
// Unconfirmed and therefore handled defensively: whether the old refresh token survives a refresh (we always
// store the new one), error bodies (standard OAuth `error` assumed on the token endpoint), rate-limit headers
// (none assumed; 429 + Retry-After honoured), and whether a pull-only app is allowed (Garmin reportedly
// expects Ping/Push; pulling by upload window is what both modes' callbacks do).
import { z } from "zod";
import type { Activity, ActivityStreams, HrvRecord, Lap, SleepRecord, Sport } from "../fitness/model.js";
import { decodeCursor, encodeCursor, expiresAfter, optionalNumber } from "./common.js";
import {
  BadResponseError,
  type ProviderError,
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
import type { FitnessProvider, ProviderAuth, TokenGrant } from "./types.js";

export interface GarminSettings {
  /** https://connect.garmin.com in production. */
  authorizeBaseUrl: string;
  /** https://diauth.garmin.com in production. */
  tokenBaseUrl: string;
  /** https://apis.garmin.com in production. */
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
}

export const GARMIN_BASE_URLS = {
  authorizeBaseUrl: "https://connect.garmin.com",
  tokenBaseUrl: "https://diauth.garmin.com",
  apiBaseUrl: "https://apis.garmin.com",
} as const;

const WINDOW_SECONDS = 86_400;
/** How far back the first sync of a new connection reads; older data needs Garmin's async backfill. */
export const GARMIN_INITIAL_HISTORY_DAYS = 30;

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number(),
  refresh_token: z.string().min(1),
  refresh_token_expires_in: z.number().optional(),
  token_type: z.string(),
  scope: z.string().optional(),
});

const sample = z.object({
  startTimeInSeconds: z.number(),
  timerDurationInSeconds: optionalNumber,
  heartRate: optionalNumber,
  powerInWatts: optionalNumber,
  speedMetersPerSecond: optionalNumber,
  elevationInMeters: optionalNumber,
});

const activityDetail = z.object({
  summaryId: z.string().min(1),
  activityId: z.union([z.number(), z.string()]).optional(),
  summary: z.object({
    activityName: z.string().optional(),
    activityType: z.string(),
    startTimeInSeconds: z.number().int(),
    startTimeOffsetInSeconds: z.number().int().optional(),
    durationInSeconds: z.number(),
    movingDurationInSeconds: optionalNumber,
    distanceInMeters: optionalNumber,
    totalElevationGainInMeters: optionalNumber,
    averageHeartRateInBeatsPerMinute: optionalNumber,
    maxHeartRateInBeatsPerMinute: optionalNumber,
    averageSpeedInMetersPerSecond: optionalNumber,
    averagePowerInWatts: optionalNumber,
    activeKilocalories: optionalNumber,
    deviceName: z.string().optional(),
  }),
  samples: z.array(sample).optional(),
  laps: z.array(z.object({ startTimeInSeconds: z.number() })).optional(),
});
type ActivityDetail = z.infer<typeof activityDetail>;

const sleepSummary = z.object({
  summaryId: z.string().min(1),
  calendarDate: z.iso.date(),
  startTimeInSeconds: z.number().int(),
  startTimeOffsetInSeconds: z.number().int().optional(),
  durationInSeconds: z.number(),
  deepSleepDurationInSeconds: optionalNumber,
  lightSleepDurationInSeconds: optionalNumber,
  remSleepInSeconds: optionalNumber,
  awakeDurationInSeconds: optionalNumber,
});

const hrvSummary = z.object({
  summaryId: z.string().min(1),
  calendarDate: z.iso.date(),
  lastNightAvg: optionalNumber,
});

const oauthError = z.object({ error: z.string() });
const cursorSchema = z.object({ uploadStart: z.number().int().nonnegative() });

const SPORTS: Record<string, Sport> = {
  RUNNING: "run",
  TRAIL_RUNNING: "run",
  TREADMILL_RUNNING: "run",
  CYCLING: "ride",
  ROAD_BIKING: "ride",
  MOUNTAIN_BIKING: "ride",
  GRAVEL_CYCLING: "ride",
  INDOOR_CYCLING: "ride",
  VIRTUAL_RIDE: "ride",
  LAP_SWIMMING: "swim",
  OPEN_WATER_SWIMMING: "swim",
  WALKING: "walk",
  HIKING: "hike",
  STRENGTH_TRAINING: "strength",
};

function classify(response: FailedResponse): ProviderError | undefined {
  const { status, endpointKind } = response;
  if (!endpointKind.startsWith("oauth.") || (status !== 400 && status !== 401)) return undefined;
  const body = oauthError.safeParse(response.body);
  if (body.success && (body.data.error === "invalid_client" || body.data.error === "unauthorized_client")) {
    return new BadResponseError("garmin", endpointKind, status, "client credentials rejected");
  }
  return new ReauthorizationRequiredError("garmin", endpointKind, status);
}

export const garminHttpProfile: ProviderHttpProfile = {
  provider: "garmin",
  retryRateLimited: true,
  parseRateLimit: () => null,
  classify,
};

function mean(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
}

function mapDetail(d: ActivityDetail): Activity {
  const s = d.summary;
  const samples = (d.samples ?? []).slice().sort((a, b) => a.startTimeInSeconds - b.startTimeInSeconds);
  const series = (pick: (x: z.infer<typeof sample>) => number | null) => {
    const values = samples.map(pick);
    return values.some((v) => v !== null) ? values : undefined;
  };
  const streams: ActivityStreams | undefined = samples.length
    ? {
        timeSeconds: samples.map((x) => x.startTimeInSeconds - s.startTimeInSeconds),
        heartRate: series((x) => x.heartRate),
        powerWatts: series((x) => x.powerInWatts),
        speedMps: series((x) => x.speedMetersPerSecond),
        altitudeMeters: series((x) => x.elevationInMeters),
      }
    : undefined;
  const end = s.startTimeInSeconds + s.durationInSeconds;
  const lapStarts = (d.laps ?? []).map((l) => l.startTimeInSeconds).sort((a, b) => a - b);
  const laps = lapStarts.map((start, index): Lap => {
    const lapEnd = lapStarts[index + 1] ?? end;
    const inLap = samples.filter((x) => x.startTimeInSeconds >= start && x.startTimeInSeconds < lapEnd);
    return {
      index,
      startTime: new Date(start * 1000).toISOString(),
      elapsedSeconds: lapEnd - start,
      movingSeconds: null,
      distanceMeters: null,
      avgHeartRate: mean(inLap.map((x) => x.heartRate)),
      avgPowerWatts: mean(inLap.map((x) => x.powerInWatts)),
      avgSpeedMps: mean(inLap.map((x) => x.speedMetersPerSecond)),
    };
  });
  return {
    id: d.summaryId,
    provider: "garmin",
    sport: SPORTS[s.activityType] ?? "other",
    providerSport: s.activityType,
    name: s.activityName ?? s.activityType.toLowerCase().replaceAll("_", " "),
    startTime: new Date(s.startTimeInSeconds * 1000).toISOString(),
    utcOffsetSeconds: s.startTimeOffsetInSeconds ?? 0,
    elapsedSeconds: s.durationInSeconds,
    movingSeconds: s.movingDurationInSeconds,
    distanceMeters: s.distanceInMeters,
    elevationGainMeters: s.totalElevationGainInMeters,
    avgHeartRate: s.averageHeartRateInBeatsPerMinute,
    maxHeartRate: s.maxHeartRateInBeatsPerMinute,
    avgPowerWatts: s.averagePowerInWatts,
    normalizedPowerWatts: null,
    avgSpeedMps: s.averageSpeedInMetersPerSecond,
    calories: s.activeKilocalories,
    device: s.deviceName ?? null,
    synthetic: false,
    laps,
    streams,
  };
}

export function createGarminProvider(
  settings: GarminSettings,
  deps: OutboundDeps,
  policy?: RetryPolicy,
): FitnessProvider {
  const http = createOutbound(garminHttpProfile, deps, policy);
  const rest = (path: string, params?: Record<string, string>) => {
    const url = new URL(`${settings.apiBaseUrl}/wellness-api/rest${path}`);
    if (params) url.search = new URLSearchParams(params).toString();
    return url;
  };
  const window = (start: number, end: number) => ({
    uploadStartTimeInSeconds: String(start),
    uploadEndTimeInSeconds: String(end),
  });

  /** Upload windows of at most a day covering [from, to). */
  async function pullWindows<T extends z.ZodType>(
    auth: ProviderAuth,
    endpointKind: string,
    path: string,
    item: T,
    from: number,
    to: number,
  ) {
    const out: z.infer<T>[] = [];
    for (let start = from; start < to; start += WINDOW_SECONDS) {
      const url = rest(path, window(start, Math.min(start + WINDOW_SECONDS, to)));
      out.push(
        ...(await http.send({
          endpointKind,
          method: "GET",
          url,
          bearer: auth.accessToken,
          idempotent: true,
          schema: z.array(item),
        })),
      );
    }
    return out;
  }

  async function tokenCall(endpointKind: string, form: Record<string, string>): Promise<TokenGrant> {
    const now = deps.now();
    const t = await http.send({
      endpointKind,
      method: "POST",
      url: new URL(`${settings.tokenBaseUrl}/di-oauth2-service/oauth/token`),
      form: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, ...form }),
      idempotent: false,
      schema: tokenResponse,
    });
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: expiresAfter(now, t.expires_in),
      refreshTokenExpiresAt: expiresAfter(now, t.refresh_token_expires_in),
      scopes: t.scope?.split(" ").filter(Boolean) ?? [],
      externalUserId: null,
    };
  }

  // A date range of local calendar dates, widened by a day each side to catch uploads in any time zone.
  const uploadSpan = (from: string, to: string) =>
    [
      Date.parse(`${from}T00:00:00Z`) / 1000 - WINDOW_SECONDS,
      Date.parse(`${to}T00:00:00Z`) / 1000 + 2 * WINDOW_SECONDS,
    ] as const;

  return {
    id: "garmin",
    // Garmin has no read by id: activity details (laps and sample streams included) come with the list.
    capabilities: {
      browser: true,
      pkce: true,
      activityById: false,
      streams: true,
      sleep: true,
      hrv: true,
      revoke: true,
    },

    authorizationUrl({ state, redirectUri, codeChallenge }) {
      const url = new URL(`${settings.authorizeBaseUrl}/oauth2Confirm`);
      url.search = new URLSearchParams({
        response_type: "code",
        client_id: settings.clientId,
        code_challenge: codeChallenge,
        code_challenge_method: "S256",
        redirect_uri: redirectUri,
        state,
      }).toString();
      return url;
    },

    exchangeCode({ code, codeVerifier, redirectUri }) {
      return tokenCall("oauth.code", {
        grant_type: "authorization_code",
        code,
        code_verifier: codeVerifier,
        redirect_uri: redirectUri,
      });
    },

    refresh(refreshToken) {
      return tokenCall("oauth.refresh", { grant_type: "refresh_token", refresh_token: refreshToken });
    },

    async revoke({ accessToken }) {
      try {
        await http.send({
          endpointKind: "user.deregister",
          method: "DELETE",
          url: rest("/user/registration"),
          bearer: accessToken,
          idempotent: true,
          schema: null,
        });
      } catch (error) {
        // A token Garmin no longer accepts belongs to a registration that is already gone.
        if ((error as ProviderError).kind !== "access_token_rejected") throw error;
      }
    },

    async listActivities(auth, { cursor }) {
      const nowSeconds = Math.floor(deps.now() / 1000);
      const start = cursor
        ? decodeCursor(cursorSchema, cursor).uploadStart
        : nowSeconds - GARMIN_INITIAL_HISTORY_DAYS * WINDOW_SECONDS;
      const end = Math.min(start + WINDOW_SECONDS, nowSeconds);
      if (end <= start) return { activities: [], cursor: encodeCursor({ uploadStart: start }), hasMore: false };
      const url = rest("/activityDetails", window(start, end));
      const details = await http.send({
        endpointKind: "activities.list",
        method: "GET",
        url,
        bearer: auth.accessToken,
        idempotent: true,
        schema: z.array(activityDetail),
      });
      return {
        activities: details.map(mapDetail),
        cursor: encodeCursor({ uploadStart: end }),
        hasMore: end < nowSeconds,
      };
    },

    async getActivity() {
      throw new UnsupportedOperationError("garmin", "activities.get");
    },

    async getAthlete(auth) {
      const user = await http.send({
        endpointKind: "athlete.get",
        method: "GET",
        url: rest("/user/id"),
        bearer: auth.accessToken,
        idempotent: true,
        schema: z.object({ userId: z.string().min(1) }),
      });
      return {
        provider: "garmin",
        externalId: user.userId,
        displayName: null,
        sex: null,
        weightKg: null,
        ftpWatts: null,
        maxHeartRate: null,
        restingHeartRate: null,
        synthetic: false,
      };
    },

    async listSleep(auth, range) {
      const [from, to] = uploadSpan(range.from, range.to);
      const sleeps = await pullWindows(
        auth,
        "sleep.list",
        "/sleeps",
        sleepSummary,
        from,
        Math.min(to, Math.floor(deps.now() / 1000)),
      );
      const seen = new Set<string>();
      return sleeps.flatMap((s): SleepRecord[] => {
        if (s.calendarDate < range.from || s.calendarDate > range.to || seen.has(s.summaryId)) return [];
        seen.add(s.summaryId);
        const minutes = (v: number | null) => (v === null ? null : Math.round(v / 60));
        const [deep, light, rem, awake] = [
          s.deepSleepDurationInSeconds,
          s.lightSleepDurationInSeconds,
          s.remSleepInSeconds,
          s.awakeDurationInSeconds,
        ].map(minutes);
        const stages =
          deep !== null && light !== null && rem !== null
            ? { deepMinutes: deep, lightMinutes: light, remMinutes: rem, awakeMinutes: awake ?? 0 }
            : null;
        return [
          {
            id: s.summaryId,
            provider: "garmin",
            date: s.calendarDate,
            startTime: new Date(s.startTimeInSeconds * 1000).toISOString(),
            endTime: new Date((s.startTimeInSeconds + s.durationInSeconds) * 1000).toISOString(),
            utcOffsetSeconds: s.startTimeOffsetInSeconds ?? 0,
            minutesAsleep: stages ? deep! + light! + rem! : Math.round(s.durationInSeconds / 60) - (awake ?? 0),
            minutesAwake: awake,
            stages,
            isMainSleep: true,
            synthetic: false,
          },
        ];
      });
    },

    async listHrv(auth, range) {
      const [from, to] = uploadSpan(range.from, range.to);
      const values = await pullWindows(
        auth,
        "hrv.list",
        "/hrv",
        hrvSummary,
        from,
        Math.min(to, Math.floor(deps.now() / 1000)),
      );
      const byDate = new Map<string, HrvRecord>();
      for (const h of values) {
        if (h.calendarDate < range.from || h.calendarDate > range.to || !h.lastNightAvg) continue;
        byDate.set(h.calendarDate, {
          provider: "garmin",
          date: h.calendarDate,
          rmssdMs: h.lastNightAvg,
          deepSleepRmssdMs: null,
          synthetic: false,
        });
      }
      return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
    },
  };
}
