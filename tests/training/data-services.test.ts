import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callError, callOk, createAccount, type Account } from "../support/mcp.js";
import type { FakeServer } from "../support/fakes/http.js";
import { fakeTemperatureC, OPENWEATHER_FAKE_KEY, startOpenWeatherFake } from "../support/fakes/openweather.js";
import { startUsdaFake, USDA_FAKE_KEY } from "../support/fakes/usda.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { seedSyntheticHistory, type SeededHistory } from "../support/synthetic-history.js";

let usda: FakeServer;
let weather: FakeServer;
let server: TestServer;
let second: TestServer;
let athlete: Account;
let history: SeededHistory;

beforeAll(async () => {
  [usda, weather] = await Promise.all([startUsdaFake(), startOpenWeatherFake()]);
  const env = {
    USDA_API_KEY: USDA_FAKE_KEY,
    USDA_BASE_URL: `${usda.origin}/fdc`,
    OPENWEATHER_API_KEY: OPENWEATHER_FAKE_KEY,
    OPENWEATHER_BASE_URL: weather.origin,
  };
  server = await startTestServer(env);
  // A second instance on the same database: the cache is shared through PostgreSQL.
  second = await startTestServer({ ...env, DATABASE_URL: server.config.database.url! });
  athlete = await createAccount(server.pool, "ds-athlete", { tenantTier: "pro", userTier: "pro" });
  history = await seedSyntheticHistory(server.pool, { tenantId: athlete.tenant.id, userId: athlete.user.id }, { days: 7, streamDays: 0 });
});
afterAll(async () => {
  await Promise.all([server.close(), second.close()]);
  await Promise.all([usda.close(), weather.close()]);
});

describe("search_food and get_food_details (USDA FoodData Central)", () => {
  it("searches with per-100 g macros, and a repeated search on another instance is answered from the shared cache", async () => {
    const page = await callOk<{ totalHits: number; foods: { fdcId: number; per100g: { energyKcal: number; carbsG: number } }[] }>(
      server.url,
      athlete.apiKey,
      "search_food",
      { query: "Banana", page_size: 5 },
    );
    expect(page.totalHits).toBe(2);
    expect(page.foods[0]).toMatchObject({ fdcId: 1105314, per100g: { energyKcal: 97, carbsG: 23 } });
    expect(await callOk(second.url, athlete.apiKey, "search_food", { query: "banana ", page_size: 5 })).toEqual(page);
    expect(usda.calls("foods.search")).toBe(1);
  });

  it("reads all nutrients of a food, Atwater energy when FDC lists no 1008, and says when the id is unknown", async () => {
    const oats = await callOk<{ per100g: { energyKcal: number; proteinG: number }; nutrients: unknown[] }>(server.url, athlete.apiKey, "get_food_details", {
      fdc_id: 2346396,
    });
    expect(oats.per100g).toEqual({ energyKcal: 375, proteinG: 13.5, carbsG: 68.7, fatG: 5.89 });
    expect(oats.nutrients).toHaveLength(4);
    expect(await callError(server.url, athlete.apiKey, "get_food_details", { fdc_id: 42 })).toMatch(/no food with fdcId 42/);
    expect(await callError(server.url, athlete.apiKey, "get_food_details", { fdc_id: 42 })).toMatch(/no food/);
    expect(usda.calls("food.get")).toBe(3); // the miss was asked twice: misses are not cached
    expect(await callError(server.url, athlete.apiKey, "get_food_details", { fdc_id: "oats" })).toMatch(/fdc_id/);
  });

  it("turns an upstream failure into a tool error", async () => {
    usda.inject("foods.search", { status: 503 }, 3);
    expect(await callError(server.url, athlete.apiKey, "search_food", { query: "granola" })).toMatch(/USDA FoodData Central could not answer/);
  });
});

describe("get_weather_for_activity (OpenWeather One Call 3.0)", () => {
  it("asks for the activity's start hour at the given place, in metric units, once per half hour", async () => {
    const activity = history.activities[history.activities.length - 1];
    const { rows } = await server.pool.query<{ id: string }>("SELECT id FROM fitness_activities WHERE user_id = $1 AND external_id = $2", [
      athlete.user.id,
      activity.id,
    ]);
    const args = { activity_id: rows[0].id, lat: 48.8566, lon: 2.3522 };
    const answer = await callOk<{ temperatureC: number; time: string; conditions: string[] }>(server.url, athlete.apiKey, "get_weather_for_activity", args);
    const hour = Math.floor(Date.parse(activity.startTime) / 3_600_000) * 3600;
    expect(answer.temperatureC).toBe(fakeTemperatureC(48.8566, 2.3522, hour));
    expect(answer.time).toBe(new Date(hour * 1000).toISOString());
    expect(answer.conditions).toEqual(["scattered clouds"]);
    await callOk(second.url, athlete.apiKey, "get_weather_for_activity", args);
    expect(weather.calls("onecall.timemachine")).toBe(1);
  });

  it("treats another user's activity as missing", async () => {
    const other = await createAccount(server.pool, "ds-other", { tenantTier: "pro", userTier: "pro" });
    const { rows } = await server.pool.query<{ id: string }>("SELECT id FROM fitness_activities WHERE user_id = $1 LIMIT 1", [athlete.user.id]);
    expect(await callError(server.url, other.apiKey, "get_weather_for_activity", { activity_id: rows[0].id, lat: 0, lon: 0 })).toMatch(/No activity/);
    expect(await callError(server.url, other.apiKey, "get_weather_for_activity", { activity_id: rows[0].id, lat: 91, lon: 0 })).toMatch(/lat/);
  });
});

describe("without API keys", () => {
  it("says which variable is missing", async () => {
    const bare = await startTestServer();
    try {
      const account = await createAccount(bare.pool, "ds-bare", { tenantTier: "pro", userTier: "pro" });
      expect(await callError(bare.url, account.apiKey, "search_food", { query: "rice" })).toMatch(/USDA_API_KEY/);
      expect(await callError(bare.url, account.apiKey, "get_weather_for_activity", { activity_id: crypto.randomUUID(), lat: 1, lon: 1 })).toMatch(
        /OPENWEATHER_API_KEY/,
      );
    } finally {
      await bare.close();
    }
  });
});
