// Fitbit data through the Google Health API (health.googleapis.com/v4) with Google OAuth 2.0. The legacy
// Fitbit Web API (api.fitbit.com) was switched off in November 2026 and answers 410: nothing here uses it.
// Confirmed against Google's own sources, read 2026-11-30 through the docs/code search index:
//  - Shapes: Google's generated client googleapis/google-api-nodejs-client src/apis/health/v4.ts (built from
//    the v4 discovery document): DataPoint.name "users/{user}/dataTypes/{type}/dataPoints/{id}", Exercise
//    {displayName, exerciseType (RUNNING, BIKING, SWIMMING, ...), interval{startTime, startUtcOffset, endTime,
//    endUtcOffset}, activeDuration, metricsSummary{distanceMillimeters, elevationGainMillimeters,
//    averageHeartRateBeatsPerMinute (int64 as string), averageSpeedMillimetersPerSecond, caloriesKcal},
//    splitSummaries[]}, Sleep {interval, type, metadata{nap}, summary{minutesAsleep, minutesAwake,
//    stagesSummary[{type, minutes}]}}, DailyHeartRateVariability {date{year,month,day},
//    averageHeartRateVariabilityMilliseconds, deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds},
//    HeartRate {beatsPerMinute, sampleTime{physicalTime}}, Identity {healthUserId}, ListDataPointsResponse
//    {dataPoints, nextPageToken}. Durations and offsets are protobuf Duration strings ("3600s").
//  - developers.google.com/health/filters: AIP-160 filters with only >= and <; data type kebab-case in the
//    path, snake_case in the filter; exercise filters on exercise.interval.civil_start_time (civil time,
//    "YYYY-MM-DD[THH:mm:ss]"), sleep on sleep.interval.civil_end_time, daily types on {type}.date, samples on
//    {type}.sample_time.physical_time. developers.google.com/health/data-types/workouts and /sleep: scopes
//    activity_and_fitness for exercise, health_metrics_and_measurements for HRV and heart rate.
//  - dataPoints.list (reference page, providers.md §7): pageSize max 25 for exercise and sleep.
//  - developers.google.com/identity/protocols/oauth2/web-server: access_type=offline + prompt=consent for a
//    refresh token, PKCE S256, token responses {access_token, expires_in, refresh_token?, scope}, refresh
//    keeps the refresh token (none in the response), a dead grant answers 400 invalid_grant, revoke is
//    POST /revoke token=... .
// Not confirmed: quota figures and whether 429s carry Retry-After (the outbound helper honours it if so).
import { z } from "zod";
import { idOnlyProfile, type HrvRecord } from "../../fitness/model.js";
import { decodeCursor, encodeCursor, expiresAfter, toIsoDate } from "../common.js";
import { BadResponseError } from "../errors.js";
import { createOutbound, type OutboundDeps, type RetryPolicy } from "../outbound.js";
import type { FitnessProvider, ProviderAuth } from "../types.js";
import { googleHealthHttpProfile } from "./http.js";
import {
  civilTime,
  exercisePoint,
  heartRatePoint,
  hrvPoint,
  mapExercise,
  mapHrv,
  mapSleep,
  page,
  sleepPoint,
  tokenResponse,
} from "./shapes.js";

export interface GoogleHealthSettings {
  /** https://accounts.google.com in production. */
  authBaseUrl: string;
  /** https://oauth2.googleapis.com in production. */
  tokenBaseUrl: string;
  /** https://health.googleapis.com/v4 in production. */
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
}

export const GOOGLE_HEALTH_BASE_URLS = {
  authBaseUrl: "https://accounts.google.com",
  tokenBaseUrl: "https://oauth2.googleapis.com",
  apiBaseUrl: "https://health.googleapis.com/v4",
} as const;

const SCOPE_PREFIX = "https://www.googleapis.com/auth/googlehealth.";
export const GOOGLE_HEALTH_SCOPES = [
  `${SCOPE_PREFIX}activity_and_fitness.readonly`,
  `${SCOPE_PREFIX}sleep.readonly`,
  `${SCOPE_PREFIX}health_metrics_and_measurements.readonly`,
] as const;

const EXERCISE_PAGE_SIZE = 25;
/** Bounds the heart-rate reads of one activity (10,000 samples a page). */
const MAX_STREAM_PAGES = 5;

const cursorSchema = z.object({
  civilStart: z.string().nullable(),
  pageToken: z.string().nullable(),
  newest: z.string().nullable(),
});

const nextDay = (date: string) => toIsoDate(new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000));

export function createGoogleHealthProvider(
  settings: GoogleHealthSettings,
  deps: OutboundDeps,
  policy?: RetryPolicy,
): FitnessProvider {
  const http = createOutbound(googleHealthHttpProfile, deps, policy);

  function dataPoints(dataType: string, params: Record<string, string>) {
    const url = new URL(`${settings.apiBaseUrl}/users/me/dataTypes/${dataType}/dataPoints`);
    url.search = new URLSearchParams(params).toString();
    return url;
  }

  async function listAll<T extends z.ZodType>(
    auth: ProviderAuth,
    endpointKind: string,
    dataType: string,
    item: T,
    params: Record<string, string>,
    maxPages = Infinity,
  ) {
    const out: z.infer<T>[] = [];
    let pageToken: string | undefined;
    for (let n = 0; n < maxPages; n++) {
      const url = dataPoints(dataType, pageToken ? { ...params, pageToken } : params);
      const body = await http.send({
        endpointKind,
        method: "GET",
        url,
        bearer: auth.accessToken,
        idempotent: true,
        schema: page(item),
      });
      out.push(...(body.dataPoints ?? []));
      pageToken = body.nextPageToken || undefined;
      if (!pageToken) break;
    }
    return out;
  }

  const tokenCall = (endpointKind: string, form: Record<string, string>) =>
    http.send({
      endpointKind,
      method: "POST",
      url: new URL(`${settings.tokenBaseUrl}/token`),
      form: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, ...form }),
      idempotent: false,
      schema: tokenResponse,
    });

  return {
    id: "fitbit",
    capabilities: {
      browser: true,
      pkce: true,
      activityById: true,
      streams: true,
      sleep: true,
      hrv: true,
      revoke: true,
    },

    authorizationUrl({ state, redirectUri, codeChallenge }) {
      const url = new URL(`${settings.authBaseUrl}/o/oauth2/v2/auth`);
      url.search = new URLSearchParams({
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        response_type: "code",
        scope: GOOGLE_HEALTH_SCOPES.join(" "),
        // Offline access + a consent prompt is what makes Google return a refresh token every time.
        access_type: "offline",
        prompt: "consent",
        include_granted_scopes: "true",
        state,
        code_challenge: codeChallenge,
        code_challenge_method: "S256",
      }).toString();
      return url;
    },

    async exchangeCode({ code, redirectUri, codeVerifier }) {
      const now = deps.now();
      const t = await tokenCall("oauth.code", {
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
        grant_type: "authorization_code",
      });
      return {
        accessToken: t.access_token,
        refreshToken: t.refresh_token ?? null,
        expiresAt: expiresAfter(now, t.expires_in),
        refreshTokenExpiresAt: null,
        scopes: t.scope?.split(" ").filter(Boolean) ?? [],
        externalUserId: null,
      };
    },

    async refresh(refreshToken) {
      const now = deps.now();
      const t = await tokenCall("oauth.refresh", { refresh_token: refreshToken, grant_type: "refresh_token" });
      return {
        accessToken: t.access_token,
        // Google keeps the refresh token unless it sends a new one.
        refreshToken: t.refresh_token ?? refreshToken,
        expiresAt: expiresAfter(now, t.expires_in),
        refreshTokenExpiresAt: null,
        scopes: t.scope?.split(" ").filter(Boolean) ?? [],
        externalUserId: null,
      };
    },

    async revoke({ accessToken, refreshToken }) {
      try {
        await http.send({
          endpointKind: "oauth.revoke",
          method: "POST",
          url: new URL(`${settings.tokenBaseUrl}/revoke`),
          // Revoking the refresh token revokes the whole grant, access tokens included.
          form: new URLSearchParams({ token: refreshToken ?? accessToken }),
          idempotent: true,
          schema: null,
        });
      } catch (error) {
        // 400 invalid_token: already revoked or expired, which is the outcome asked for.
        if (!(error instanceof BadResponseError && error.status === 400)) throw error;
      }
    },

    async listActivities(auth, { cursor }) {
      const at = cursor ? decodeCursor(cursorSchema, cursor) : { civilStart: null, pageToken: null, newest: null };
      const params: Record<string, string> = { pageSize: String(EXERCISE_PAGE_SIZE) };
      if (at.civilStart) params.filter = `exercise.interval.civil_start_time >= "${at.civilStart}"`;
      if (at.pageToken) params.pageToken = at.pageToken;
      const body = await http.send({
        endpointKind: "activities.list",
        method: "GET",
        url: dataPoints("exercise", params),
        bearer: auth.accessToken,
        idempotent: true,
        schema: page(exercisePoint),
      });
      const activities = (body.dataPoints ?? []).map(mapExercise);
      const newest = activities.reduce<string | null>((max, a) => {
        const civil = civilTime(Date.parse(a.startTime), a.utcOffsetSeconds);
        return max === null || civil > max ? civil : max;
      }, at.newest);
      const hasMore = Boolean(body.nextPageToken);
      // The filter is inclusive, so the next sync starts one second after the newest civil start seen.
      const resume = newest ? civilTime(Date.parse(`${newest}Z`) + 1000, 0) : at.civilStart;
      const next = hasMore
        ? { ...at, pageToken: body.nextPageToken!, newest }
        : { civilStart: resume, pageToken: null, newest };
      return { activities, cursor: encodeCursor(next), hasMore };
    },

    async getActivity(auth, id, { streams }) {
      if (!/^[A-Za-z0-9-]{1,63}$/.test(id))
        throw new BadResponseError("fitbit", "activities.get", null, "not a data point id");
      const url = new URL(`${settings.apiBaseUrl}/users/me/dataTypes/exercise/dataPoints/${id}`);
      const point = await http.send({
        endpointKind: "activities.get",
        method: "GET",
        url,
        bearer: auth.accessToken,
        idempotent: true,
        schema: exercisePoint,
      });
      const activity = mapExercise(point);
      if (streams) {
        // Heart rate is its own data type; the session only bounds the query.
        const { startTime, endTime } = point.exercise.interval;
        const filter = `heart_rate.sample_time.physical_time >= "${new Date(
          startTime,
        ).toISOString()}" AND heart_rate.sample_time.physical_time < "${new Date(endTime).toISOString()}"`;
        const samples = await listAll(
          auth,
          "activities.streams",
          "heart-rate",
          heartRatePoint,
          { filter, pageSize: "10000" },
          MAX_STREAM_PAGES,
        );
        if (samples.length) {
          const start = Date.parse(startTime);
          const sorted = samples
            .map((s) => s.heartRate)
            .sort((a, b) => Date.parse(a.sampleTime.physicalTime) - Date.parse(b.sampleTime.physicalTime));
          activity.streams = {
            timeSeconds: sorted.map((s) => (Date.parse(s.sampleTime.physicalTime) - start) / 1000),
            heartRate: sorted.map((s) => s.beatsPerMinute),
          };
        }
      }
      return activity;
    },

    async getAthlete(auth) {
      const identity = await http.send({
        endpointKind: "athlete.get",
        method: "GET",
        url: new URL(`${settings.apiBaseUrl}/users/me/identity`),
        bearer: auth.accessToken,
        idempotent: true,
        schema: z.object({ healthUserId: z.string().min(1) }),
      });
      return idOnlyProfile("fitbit", identity.healthUserId);
    },

    async listSleep(auth, range) {
      const to = nextDay(range.to);
      const filter = `sleep.interval.civil_end_time >= "${range.from}" AND sleep.interval.civil_end_time < "${to}"`;
      const points = await listAll(auth, "sleep.list", "sleep", sleepPoint, { filter, pageSize: "25" });
      return points.map(mapSleep);
    },

    async listHrv(auth, range) {
      const to = nextDay(range.to);
      const filter = `daily_heart_rate_variability.date >= "${range.from}" AND daily_heart_rate_variability.date < "${to}"`;
      const points = await listAll(auth, "hrv.list", "daily-heart-rate-variability", hrvPoint, { filter });
      return points.map(mapHrv).filter((h): h is HrvRecord => h !== null);
    },
  };
}
