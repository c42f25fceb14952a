// A local OpenWeather One Call API 3.0 "weather data for timestamp" endpoint
// (GET /data/3.0/onecall/timemachine?lat&lon&dt&appid&units): the response's shape, 401 for a wrong appid as
// OpenWeather answers ({"cod":401,"message":"Invalid API key..."}), and weather derived from the request so
// a test can tell which place and hour were asked for.
import { startFakeServer, type FakeServer } from "./http.js";

export const OPENWEATHER_FAKE_KEY = "openweather-test-key";

/** The temperature the fake reports: a function of place and hour, in the units asked for. */
export function fakeTemperatureC(lat: number, lon: number, dt: number): number {
  return Math.round((15 + lat / 10 - lon / 100 + ((dt / 3600) % 24) / 4) * 100) / 100;
}

export async function startOpenWeatherFake(): Promise<FakeServer> {
  return startFakeServer([
    {
      name: "onecall.timemachine",
      method: "GET",
      path: /^\/data\/3\.0\/onecall\/timemachine$/,
      handle(request) {
        const q = request.url.searchParams;
        if (q.get("appid") !== OPENWEATHER_FAKE_KEY) {
          return { status: 401, body: { cod: 401, message: "Invalid API key. Please see https://openweathermap.org/faq#error401 for more info." } };
        }
        const lat = Number(q.get("lat"));
        const lon = Number(q.get("lon"));
        const dt = Number(q.get("dt"));
        if (![lat, lon, dt].every(Number.isFinite)) return { status: 400, body: { cod: "400", message: "wrong latitude" } };
        const celsius = fakeTemperatureC(lat, lon, dt);
        const temp = q.get("units") === "metric" ? celsius : celsius + 273.15;
        return {
          status: 200,
          body: {
            lat,
            lon,
            timezone: "Europe/Paris",
            timezone_offset: 3600,
            data: [
              {
                dt,
                sunrise: dt - 3 * 3600,
                sunset: dt + 6 * 3600,
                temp,
                feels_like: temp - 1.5,
                pressure: 1016,
                humidity: 71,
                dew_point: temp - 4,
                clouds: 40,
                visibility: 10000,
                wind_speed: 3.6,
                wind_deg: 250,
                weather: [{ id: 802, main: "Clouds", description: "scattered clouds", icon: "03d" }],
              },
            ],
          },
        };
      },
    },
  ]);
}
