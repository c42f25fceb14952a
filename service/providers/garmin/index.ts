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
import { idOnlyProfile, type DateRange, type HrvRecord } from "../../fitness/model.js";
import { decodeCursor, encodeCursor, expiresAfter } from "../common.js";
import { type ProviderError, UnsupportedOperationError } from "../errors.js";
import { createOutbound, type OutboundDeps, type RetryPolicy } from "../outbound.js";
import type { FitnessProvider, ProviderAuth, TokenGrant } from "../types.js";
import { garminHttpProfile } from "./http.js";
import { activityDetail, hrvSummary, mapDetail, mapHrv, mapSleep, sleepSummary, tokenResponse } from "./shapes.js";

const inRange = (date: string, range: DateRange) => date >= range.from && date <= range.to;

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

const cursorSchema = z.object({ uploadStart: z.number().int().nonnegative() });

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

  // Local calendar dates, widened by a day each side to catch uploads in any time zone, and never past now.
  const uploadSpan = (from: string, to: string) =>
    [
      Date.parse(`${from}T00:00:00Z`) / 1000 - WINDOW_SECONDS,
      Math.min(Date.parse(`${to}T00:00:00Z`) / 1000 + 2 * WINDOW_SECONDS, Math.floor(deps.now() / 1000)),
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
      return idOnlyProfile("garmin", user.userId);
    },

    async listSleep(auth, range) {
      const [from, to] = uploadSpan(range.from, range.to);
      const sleeps = await pullWindows(auth, "sleep.list", "/sleeps", sleepSummary, from, to);
      const byId = new Map(sleeps.filter((s) => inRange(s.calendarDate, range)).map((s) => [s.summaryId, mapSleep(s)]));
      return [...byId.values()].sort((x, y) => x.startTime.localeCompare(y.startTime));
    },

    async listHrv(auth, range) {
      const [from, to] = uploadSpan(range.from, range.to);
      const values = await pullWindows(auth, "hrv.list", "/hrv", hrvSummary, from, to);
      // One value per night: a later upload of the same date replaces an earlier one.
      const byDate = new Map<string, HrvRecord>();
      for (const h of values.filter((v) => inRange(v.calendarDate, range)).map(mapHrv)) if (h) byDate.set(h.date, h);
      return [...byDate.values()].sort((x, y) => x.date.localeCompare(y.date));
    },
  };
}
