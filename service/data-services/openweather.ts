// OpenWeather One Call API 3.0, "weather data for timestamp" (GET /data/3.0/onecall/timemachine?lat&lon&dt,
// https://openweathermap.org/api/one-call-3#history): the conditions at an activity's place and start,
// past or up to 4 days ahead, from one endpoint; the current-weather endpoint could not answer for a
// finished activity. Metric units. Cached 30 min in the shared cache, keyed by place (0.01 deg, about
// 1 km) and hour, so the activities of one morning share one call. The key goes in `appid`, the only
// place OpenWeather reads it; outbound.ts never logs URLs.
import { z } from "zod";
import { createOutbound, type OutboundDeps } from "../providers/outbound.js";
import { WEATHER_TTL_MS, type SharedCache } from "./cache.js";
import type { DataServiceConfig } from "./config.js";
import { dataServiceProfile } from "./profile.js";

const timemachineResponse = z.object({
  lat: z.number(),
  lon: z.number(),
  timezone: z.string(),
  timezone_offset: z.number(),
  data: z
    .array(
      z.object({
        dt: z.number(),
        temp: z.number(),
        feels_like: z.number().optional(),
        pressure: z.number().optional(),
        humidity: z.number().optional(),
        dew_point: z.number().optional(),
        clouds: z.number().optional(),
        visibility: z.number().optional(),
        wind_speed: z.number().optional(),
        wind_gust: z.number().optional(),
        wind_deg: z.number().optional(),
        weather: z.array(z.object({ id: z.number(), main: z.string(), description: z.string() })).default([]),
        rain: z.object({ "1h": z.number() }).partial().optional(),
        snow: z.object({ "1h": z.number() }).partial().optional(),
      }),
    )
    .min(1),
});

export interface WeatherObservation {
  /** The instant the observation is for, ISO 8601 UTC. */
  time: string;
  timezone: string;
  temperatureC: number;
  feelsLikeC: number | null;
  humidityPercent: number | null;
  dewPointC: number | null;
  windSpeedMps: number | null;
  windGustMps: number | null;
  windDirectionDeg: number | null;
  cloudsPercent: number | null;
  precipitationMmPerHour: number | null;
  conditions: string[];
}

export interface WeatherClient {
  at(place: { lat: number; lon: number }, time: Date): Promise<WeatherObservation>;
}

export function createWeatherClient(config: DataServiceConfig & { apiKey: string }, deps: OutboundDeps, cache: SharedCache): WeatherClient {
  const http = createOutbound(dataServiceProfile("openweather"), deps);
  return {
    at({ lat, lon }, time) {
      const hour = Math.floor(time.getTime() / 3_600_000) * 3600;
      const key = `openweather:timemachine:${lat.toFixed(2)}:${lon.toFixed(2)}:${hour}`;
      return cache.through(key, WEATHER_TTL_MS, async () => {
        const url = new URL(`${config.baseUrl}/data/3.0/onecall/timemachine`);
        url.search = new URLSearchParams({ lat: lat.toFixed(4), lon: lon.toFixed(4), dt: String(hour), units: "metric", appid: config.apiKey }).toString();
        const body = await http.send({ endpointKind: "onecall.timemachine", method: "GET", url, idempotent: true, schema: timemachineResponse });
        const d = body.data[0];
        const precipitation = (d.rain?.["1h"] ?? 0) + (d.snow?.["1h"] ?? 0);
        return {
          time: new Date(d.dt * 1000).toISOString(),
          timezone: body.timezone,
          temperatureC: d.temp,
          feelsLikeC: d.feels_like ?? null,
          humidityPercent: d.humidity ?? null,
          dewPointC: d.dew_point ?? null,
          windSpeedMps: d.wind_speed ?? null,
          windGustMps: d.wind_gust ?? null,
          windDirectionDeg: d.wind_deg ?? null,
          cloudsPercent: d.clouds ?? null,
          precipitationMmPerHour: d.rain || d.snow ? precipitation : null,
          conditions: d.weather.map((w) => w.description),
        };
      });
    },
  };
}
