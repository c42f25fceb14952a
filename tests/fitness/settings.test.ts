import { describe, expect, it } from "vitest";
import { loadConfig } from "../../service/config.js";

describe("provider settings from the environment", () => {
  it("has no real provider and redirects to the public origin when nothing is configured", () => {
    const config = loadConfig({ PUBLIC_BASE_URL: "https://pierre.example.com" });
    expect(config.providers).toEqual({ strava: undefined, fitbit: undefined, garmin: undefined });
    expect(config.providerRedirectBase).toBe("https://pierre.example.com");
  });

  it("configures a provider from its client id, secret and base URLs (production URLs by default)", () => {
    const config = loadConfig({
      STRAVA_CLIENT_ID: "12345",
      STRAVA_CLIENT_SECRET: "s3cret",
      FITBIT_CLIENT_ID: "abc.apps.googleusercontent.com",
      FITBIT_CLIENT_SECRET: "g-secret",
      FITBIT_API_BASE_URL: "http://127.0.0.1:4000/v4/",
      PROVIDER_REDIRECT_BASE: "https://callbacks.example.com/",
    });
    expect(config.providers.strava).toEqual({
      clientId: "12345",
      clientSecret: "s3cret",
      apiBaseUrl: "https://www.strava.com/api/v3",
      oauthBaseUrl: "https://www.strava.com/oauth",
    });
    expect(config.providers.fitbit).toMatchObject({ apiBaseUrl: "http://127.0.0.1:4000/v4", authBaseUrl: "https://accounts.google.com" });
    expect(config.providers.garmin).toBeUndefined();
    expect(config.providerRedirectBase).toBe("https://callbacks.example.com");
  });

  it.each([
    [{ GARMIN_CLIENT_ID: "g-1" }, /GARMIN_CLIENT_SECRET is required when GARMIN_CLIENT_ID is set/],
    [{ STRAVA_CLIENT_ID: "id with spaces", STRAVA_CLIENT_SECRET: "x" }, /STRAVA_CLIENT_ID: must be a plain OAuth client id/],
    [{ STRAVA_API_BASE_URL: "ftp://strava.example" }, /STRAVA_API_BASE_URL/],
  ])("refuses %j", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
