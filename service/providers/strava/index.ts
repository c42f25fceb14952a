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
import { decodeCursor, encodeCursor } from "../common.js";
import { BadResponseError, type ProviderError, UnsupportedOperationError } from "../errors.js";
import { createOutbound, type OutboundDeps, type RetryPolicy } from "../outbound.js";
import type { FitnessProvider, TokenGrant } from "../types.js";
import { stravaHttpProfile } from "./http.js";
import {
  athlete,
  detailedActivity,
  mapAthlete,
  mapLap,
  mapStreams,
  mapSummary,
  streamSet,
  summaryActivity,
  tokenResponse,
} from "./shapes.js";

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

const cursorSchema = z.object({
  after: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  newest: z.number().int().nonnegative(),
});

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
      activity.laps = (detail.laps ?? []).map(mapLap);
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

    async getAthlete(auth) {
      const a = await http.send({
        endpointKind: "athlete.get",
        method: "GET",
        url: api("/athlete"),
        bearer: auth.accessToken,
        idempotent: true,
        schema: athlete,
      });
      return mapAthlete(a);
    },

    async listSleep() {
      throw new UnsupportedOperationError("strava", "sleep.list");
    },
    async listHrv() {
      throw new UnsupportedOperationError("strava", "hrv.list");
    },
  };
}
