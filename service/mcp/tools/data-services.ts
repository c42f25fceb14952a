// search_food, get_food_details (USDA FoodData Central) and get_weather_for_activity (OpenWeather):
// the clients come from ToolContext.services; an upstream failure becomes a tool error the model can read.
import { z } from "zod";
import type { FoodDetails, FoodSearchPage } from "../../data-services/usda.js";
import { ProviderError, RateLimitedError } from "../../providers/errors.js";
import { findActivity } from "../../training/data.js";
import { one } from "../../training/format.js";
import { defineTool, ToolError } from "./tool.js";
import { notFound, ownerOf, readOnly } from "./training-support.js";

const openWorld = { ...readOnly, openWorldHint: true } as const;

function notConfigured(service: string, variable: string): never {
  throw new ToolError(`${service} is not configured on this server (${variable} is unset); ask the operator to add the key.`);
}

/** Calls an upstream service, turning its failures into messages a model can act on. */
async function upstream<T>(service: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RateLimitedError) throw new ToolError(`${service} is rate limiting this server; try again in ${Math.ceil(error.retryAfterMs / 1000)} s.`);
    if (error instanceof ProviderError) throw new ToolError(`${service} could not answer (${error.kind}); try again later.`);
    throw error;
  }
}

const macrosSchema = z.object({ energyKcal: z.number().nullable(), proteinG: z.number().nullable(), carbsG: z.number().nullable(), fatG: z.number().nullable() });
const foodSummarySchema = z.object({
  fdcId: z.number().int(),
  description: z.string(),
  dataType: z.string().nullable(),
  brandOwner: z.string().nullable(),
  per100g: macrosSchema.describe("Per 100 g as FoodData Central reports it"),
});

export const searchFoodTool = defineTool({
  name: "search_food",
  title: "Search foods (USDA)",
  description:
    "Searches USDA FoodData Central for foods matching a query, with energy and macronutrients per 100 g. " +
    "Use get_food_details with an fdcId for all nutrients. Example: {\"query\": \"banana\", \"page_size\": 5}.",
  requiredScope: "fitness:read",
  annotations: openWorld,
  input: z.strictObject({
    query: z.string().trim().min(2).max(100),
    page_size: z.number().int().min(1).max(200).default(10),
    page: z.number().int().min(1).max(100).default(1),
  }),
  output: z.object({ totalHits: z.number(), page: z.number(), totalPages: z.number(), foods: z.array(foodSummarySchema) }) satisfies z.ZodType<FoodSearchPage>,
  async run({ query, page_size, page }, { services }) {
    const usda = services.usda ?? notConfigured("USDA FoodData Central", "USDA_API_KEY");
    return upstream("USDA FoodData Central", () => usda.search(query, { pageSize: page_size, page }));
  },
  summary: (r) =>
    `${r.totalHits} foods; page ${r.page} of ${r.totalPages}: ` +
    r.foods.slice(0, 5).map((f) => `${f.description} (${f.fdcId}${f.per100g.energyKcal === null ? "" : `, ${Math.round(f.per100g.energyKcal)} kcal/100 g`})`).join("; ") +
    ".",
});

export const getFoodDetailsTool = defineTool({
  name: "get_food_details",
  title: "Food details (USDA)",
  description: "All nutrients of one USDA FoodData Central food, with the serving size when FDC lists one. Example: {\"fdc_id\": 1105073}.",
  requiredScope: "fitness:read",
  annotations: openWorld,
  input: z.strictObject({ fdc_id: z.number().int().positive().max(2_147_483_647) }),
  output: foodSummarySchema.extend({
    servingSize: z.number().nullable(),
    servingSizeUnit: z.string().nullable(),
    nutrients: z.array(z.object({ id: z.number(), name: z.string(), amount: z.number(), unit: z.string() })),
  }) satisfies z.ZodType<FoodDetails>,
  async run({ fdc_id }, { services }) {
    const usda = services.usda ?? notConfigured("USDA FoodData Central", "USDA_API_KEY");
    const food = await upstream("USDA FoodData Central", () => usda.food(fdc_id));
    if (!food) throw new ToolError(`USDA FoodData Central has no food with fdcId ${fdc_id}; search_food finds valid ids.`);
    return food;
  },
  summary: (f) =>
    `${f.description}: ${f.per100g.energyKcal === null ? "energy not listed" : `${Math.round(f.per100g.energyKcal)} kcal`}, protein ${f.per100g.proteinG ?? "?"} g, ` +
    `carbohydrate ${f.per100g.carbsG ?? "?"} g, fat ${f.per100g.fatG ?? "?"} g per 100 g.`,
});

export const getWeatherForActivityTool = defineTool({
  name: "get_weather_for_activity",
  title: "Weather during an activity",
  description:
    "The weather (OpenWeather) at the activity's start: temperature, feels-like, humidity, dew point, wind, clouds, " +
    "precipitation. Stored activities carry no position, so give the place as lat/lon. " +
    "Example: {\"activity_id\": \"<uuid>\", \"lat\": 48.85, \"lon\": 2.35}.",
  requiredScope: "fitness:read",
  annotations: openWorld,
  input: z.strictObject({
    activity_id: z.uuid({ message: "expected an activity id (a UUID) as returned by get_activities" }),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
  }),
  output: z.object({
    activityId: z.string(),
    time: z.string(),
    timezone: z.string(),
    temperatureC: z.number(),
    feelsLikeC: z.number().nullable(),
    humidityPercent: z.number().nullable(),
    dewPointC: z.number().nullable(),
    windSpeedMps: z.number().nullable(),
    windGustMps: z.number().nullable(),
    windDirectionDeg: z.number().nullable(),
    cloudsPercent: z.number().nullable(),
    precipitationMmPerHour: z.number().nullable(),
    conditions: z.array(z.string()),
  }),
  async run({ activity_id, lat, lon }, { principal, db, services }) {
    const weather = services.weather ?? notConfigured("OpenWeather", "OPENWEATHER_API_KEY");
    const activity = await findActivity(db, ownerOf(principal), activity_id);
    if (!activity) notFound("activity", activity_id);
    const observation = await upstream("OpenWeather", () => weather.at({ lat, lon }, new Date(activity.startTime)));
    return { activityId: activity.id, ...observation };
  },
  summary: (w) =>
    `${w.conditions.join(", ") || "Weather"} at ${w.time}: ${one(w.temperatureC)} °C` +
    `${w.feelsLikeC === null ? "" : ` (feels ${one(w.feelsLikeC)} °C)`}${w.humidityPercent === null ? "" : `, humidity ${w.humidityPercent}%`}` +
    `${w.windSpeedMps === null ? "" : `, wind ${one(w.windSpeedMps)} m/s`}.`,
});
