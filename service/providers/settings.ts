// The providers' part of the environment contract: client ids (plain values the stacks set), client secrets
// (Secret Manager values the stacks inject) and base URLs (production defaults; tests point them at the
// fakes). config.ts extends its env schema with this object, so it is part of the one contract the service
// and the stacks share. A provider whose client id is unset is simply absent.
import { z } from "zod";
import { GARMIN_BASE_URLS, type GarminSettings } from "./garmin/index.js";
import { GOOGLE_HEALTH_BASE_URLS, type GoogleHealthSettings } from "./google-health/index.js";
import type { ProviderSettings } from "./index.js";
import { STRAVA_BASE_URLS, type StravaSettings } from "./strava/index.js";

const clientId = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, "must be a plain OAuth client id").optional();
const secret = z.string().min(1).optional();
const baseUrl = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback).transform((url) => url.replace(/\/+$/, ""));

export const providerEnvSchema = z.object({
  /** Origin the providers redirect back to (`<origin>/api/oauth/callback/<provider>`); PUBLIC_BASE_URL when unset. */
  PROVIDER_REDIRECT_BASE: z.url().optional(),
  STRAVA_CLIENT_ID: clientId,
  STRAVA_CLIENT_SECRET: secret,
  STRAVA_API_BASE_URL: baseUrl(STRAVA_BASE_URLS.apiBaseUrl),
  STRAVA_OAUTH_BASE_URL: baseUrl(STRAVA_BASE_URLS.oauthBaseUrl),
  // Fitbit data comes through the Google Health API: a Google OAuth web client.
  FITBIT_CLIENT_ID: clientId,
  FITBIT_CLIENT_SECRET: secret,
  FITBIT_AUTH_BASE_URL: baseUrl(GOOGLE_HEALTH_BASE_URLS.authBaseUrl),
  FITBIT_TOKEN_BASE_URL: baseUrl(GOOGLE_HEALTH_BASE_URLS.tokenBaseUrl),
  FITBIT_API_BASE_URL: baseUrl(GOOGLE_HEALTH_BASE_URLS.apiBaseUrl),
  GARMIN_CLIENT_ID: clientId,
  GARMIN_CLIENT_SECRET: secret,
  GARMIN_AUTHORIZE_BASE_URL: baseUrl(GARMIN_BASE_URLS.authorizeBaseUrl),
  GARMIN_TOKEN_BASE_URL: baseUrl(GARMIN_BASE_URLS.tokenBaseUrl),
  GARMIN_API_BASE_URL: baseUrl(GARMIN_BASE_URLS.apiBaseUrl),
});
export type ProviderEnv = z.output<typeof providerEnvSchema>;

/** The registry's settings, or the problems (a client id without its secret is a deployment mistake). */
export function providerSettingsFrom(e: ProviderEnv): { settings: ProviderSettings; problems: string[] } {
  const problems: string[] = [];
  const credentials = (name: string, id: string | undefined, secretValue: string | undefined) => {
    if (!id) return undefined;
    if (!secretValue) {
      problems.push(`${name}_CLIENT_SECRET is required when ${name}_CLIENT_ID is set`);
      return undefined;
    }
    return { clientId: id, clientSecret: secretValue };
  };
  const strava = credentials("STRAVA", e.STRAVA_CLIENT_ID, e.STRAVA_CLIENT_SECRET);
  const fitbit = credentials("FITBIT", e.FITBIT_CLIENT_ID, e.FITBIT_CLIENT_SECRET);
  const garmin = credentials("GARMIN", e.GARMIN_CLIENT_ID, e.GARMIN_CLIENT_SECRET);
  const settings: ProviderSettings = {
    strava: strava && ({ ...strava, apiBaseUrl: e.STRAVA_API_BASE_URL, oauthBaseUrl: e.STRAVA_OAUTH_BASE_URL } satisfies StravaSettings),
    fitbit: fitbit && ({
      ...fitbit,
      authBaseUrl: e.FITBIT_AUTH_BASE_URL,
      tokenBaseUrl: e.FITBIT_TOKEN_BASE_URL,
      apiBaseUrl: e.FITBIT_API_BASE_URL,
    } satisfies GoogleHealthSettings),
    garmin: garmin && ({
      ...garmin,
      authorizeBaseUrl: e.GARMIN_AUTHORIZE_BASE_URL,
      tokenBaseUrl: e.GARMIN_TOKEN_BASE_URL,
      apiBaseUrl: e.GARMIN_API_BASE_URL,
    } satisfies GarminSettings),
  };
  return { settings, problems };
}
