// Builds the provider registry from narrow per-provider settings. A provider without settings is simply
// absent (not configured); synthetic needs none and is always present. The composition root maps env vars
// to these settings and passes the outbound dependencies (observer, rate-limit sink).
import type { ProviderId } from "../fitness/model.js";
import { createGarminProvider, type GarminSettings } from "./garmin/index.js";
import { createGoogleHealthProvider, type GoogleHealthSettings } from "./google-health/index.js";
import type { OutboundDeps, RetryPolicy } from "./outbound.js";
import { createStravaProvider, type StravaSettings } from "./strava/index.js";
import { createSyntheticProvider } from "./synthetic/index.js";
import type { FitnessProvider } from "./types.js";

export interface ProviderSettings {
  strava?: StravaSettings;
  /** Fitbit data through the Google Health API. */
  fitbit?: GoogleHealthSettings;
  garmin?: GarminSettings;
}

export type ProviderRegistry = ReadonlyMap<ProviderId, FitnessProvider>;

export function createProviderRegistry(
  settings: ProviderSettings,
  deps: OutboundDeps,
  policy?: RetryPolicy,
): ProviderRegistry {
  const providers: FitnessProvider[] = [createSyntheticProvider({ now: deps.now })];
  if (settings.strava) providers.push(createStravaProvider(settings.strava, deps, policy));
  if (settings.fitbit) providers.push(createGoogleHealthProvider(settings.fitbit, deps, policy));
  if (settings.garmin) providers.push(createGarminProvider(settings.garmin, deps, policy));
  return new Map(providers.map((p) => [p.id, p]));
}
