// The data services the training tools call out to; each is absent when its API key is not configured.
import type { Queryable } from "../db/pool.js";
import type { OutboundDeps } from "../providers/outbound.js";
import { createSharedCache } from "./cache.js";
import type { DataServicesConfig } from "./config.js";
import { createWeatherClient, type WeatherClient } from "./openweather.js";
import { createUsdaClient, type UsdaClient } from "./usda.js";

export interface DataServices {
  usda?: UsdaClient;
  weather?: WeatherClient;
}

export function createDataServices(
  config: DataServicesConfig,
  db: Queryable,
  deps: OutboundDeps,
  onSweepError: (error: unknown) => void,
): DataServices {
  const cache = createSharedCache(db, deps.now, onSweepError);
  const { usda, openWeather } = config;
  return {
    ...(usda.apiKey && { usda: createUsdaClient({ ...usda, apiKey: usda.apiKey }, deps, cache) }),
    ...(openWeather.apiKey && { weather: createWeatherClient({ ...openWeather, apiKey: openWeather.apiKey }, deps, cache) }),
  };
}

export type { UsdaClient, WeatherClient };
