// Environment of the data services, merged into config.ts's schema with .extend so the keys are read in
// the one place every other variable is. Keys come from Secret Manager (pierre-usda-api-key,
// pierre-openweather-api-key) as env vars; without a key the service's tools answer "not configured".
import { z } from "zod";

const optionalSecret = z.string().min(1).optional();

export const dataServicesEnvSchema = z.object({
  USDA_API_KEY: optionalSecret,
  USDA_BASE_URL: z.url().default("https://api.nal.usda.gov/fdc"),
  OPENWEATHER_API_KEY: optionalSecret,
  OPENWEATHER_BASE_URL: z.url().default("https://api.openweathermap.org"),
});

export interface DataServiceConfig {
  apiKey?: string;
  /** No trailing slash. */
  baseUrl: string;
}

export interface DataServicesConfig {
  usda: DataServiceConfig;
  openWeather: DataServiceConfig;
}

export function dataServicesConfig(env: z.output<typeof dataServicesEnvSchema>): DataServicesConfig {
  const base = (url: string) => url.replace(/\/+$/, "");
  return {
    usda: { apiKey: env.USDA_API_KEY, baseUrl: base(env.USDA_BASE_URL) },
    openWeather: { apiKey: env.OPENWEATHER_API_KEY, baseUrl: base(env.OPENWEATHER_BASE_URL) },
  };
}
