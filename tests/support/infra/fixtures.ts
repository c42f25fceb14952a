/** A digest-pinned image, as the deploy workflow sets it. */
export const STABLE_IMAGE = `us-central1-docker.pkg.dev/acme-pierre-prod/pierre/pierre@sha256:${"a".repeat(64)}`;
export const CANARY_IMAGE = `us-central1-docker.pkg.dev/acme-pierre-prod/pierre/pierre@sha256:${"b".repeat(64)}`;

/** Every deploy-time variable set, as a platform engineer's shell or CI's plan job has them. */
export const CONFIGURED_ENV: NodeJS.ProcessEnv = {
  PIERRE_STATE_BUCKET: "acme-pierre-tfstate",
  PIERRE_GITHUB_REPOSITORY: "acme/pierre",
  PIERRE_DEV_PROJECT_ID: "acme-pierre-dev",
  PIERRE_STAGING_PROJECT_ID: "acme-pierre-staging",
  PIERRE_PROD_PROJECT_ID: "acme-pierre-prod",
  PIERRE_STAGING_DOMAIN: "staging.pierre.example.com",
  PIERRE_PROD_DOMAIN: "mcp.pierre.example.com",
  PIERRE_PROD_IMAGE: STABLE_IMAGE,
};

/**
 * Client ids switching on every provider, and the switches of every API-key data service, in every
 * environment (their secrets stay in Secret Manager).
 */
export const PROVIDERS_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  ["DEV", "STAGING", "PROD"].flatMap((env) => [
    [`PIERRE_${env}_STRAVA_CLIENT_ID`, "123456"],
    [`PIERRE_${env}_FITBIT_CLIENT_ID`, "123456789012-abcdefghijklmnop.apps.googleusercontent.com"],
    [`PIERRE_${env}_GARMIN_CLIENT_ID`, "0a1b2c3d-4e5f-6789-abcd-ef0123456789"],
    [`PIERRE_${env}_USDA_ENABLED`, "true"],
    [`PIERRE_${env}_OPENWEATHER_ENABLED`, "true"],
  ]),
);
