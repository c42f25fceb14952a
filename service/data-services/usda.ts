// USDA FoodData Central (https://fdc.nal.usda.gov/api-guide): food search and one food's nutrients,
// through the providers' outbound client and the shared cache (24 h). The key goes in the X-Api-Key
// header (api.data.gov accepts it there as well as in api_key), so it never appears in a URL.
import { z } from "zod";
import { BadResponseError } from "../providers/errors.js";
import { createOutbound, type OutboundDeps } from "../providers/outbound.js";
import { FOOD_TTL_MS, type SharedCache } from "./cache.js";
import type { DataServiceConfig } from "./config.js";
import { dataServiceProfile } from "./profile.js";

// Nutrient ids of FDC's nutrient table: energy in kcal (1008; Foundation foods may carry only the Atwater
// energies 2048/2047), protein 1003, total fat 1004, carbohydrate by difference 1005.
const ENERGY_IDS = [1008, 2048, 2047];
const PROTEIN = 1003;
const FAT = 1004;
const CARBS = 1005;

const searchResponse = z.object({
  totalHits: z.number(),
  currentPage: z.number(),
  totalPages: z.number(),
  foods: z.array(
    z.object({
      fdcId: z.number().int(),
      description: z.string(),
      dataType: z.string().optional(),
      brandOwner: z.string().optional(),
      foodNutrients: z
        .array(z.object({ nutrientId: z.number(), nutrientName: z.string(), unitName: z.string(), value: z.number().optional() }))
        .default([]),
    }),
  ),
});

const foodResponse = z.object({
  fdcId: z.number().int(),
  description: z.string(),
  dataType: z.string().optional(),
  brandOwner: z.string().optional(),
  servingSize: z.number().optional(),
  servingSizeUnit: z.string().optional(),
  foodNutrients: z
    .array(
      z.object({
        nutrient: z.object({ id: z.number(), name: z.string(), unitName: z.string().optional() }),
        amount: z.number().optional(),
      }),
    )
    .default([]),
});

export interface Nutrient {
  id: number;
  name: string;
  amount: number;
  unit: string;
}

/** Macronutrients per 100 g (per 100 ml for some branded drinks), null when FDC does not list them. */
export interface Macros {
  energyKcal: number | null;
  proteinG: number | null;
  carbsG: number | null;
  fatG: number | null;
}

export interface FoodSummary {
  fdcId: number;
  description: string;
  dataType: string | null;
  brandOwner: string | null;
  per100g: Macros;
}

export interface FoodSearchPage {
  totalHits: number;
  page: number;
  totalPages: number;
  foods: FoodSummary[];
}

export interface FoodDetails extends FoodSummary {
  servingSize: number | null;
  servingSizeUnit: string | null;
  nutrients: Nutrient[];
}

export interface UsdaClient {
  search(query: string, options: { pageSize: number; page: number }): Promise<FoodSearchPage>;
  /** null when FDC has no food with that id. */
  food(fdcId: number): Promise<FoodDetails | null>;
}

function macros(nutrients: Nutrient[]): Macros {
  const amount = (id: number) => nutrients.find((n) => n.id === id)?.amount ?? null;
  const energy = ENERGY_IDS.map((id) => nutrients.find((n) => n.id === id && n.unit.toLowerCase() === "kcal")).find(Boolean);
  return { energyKcal: energy?.amount ?? null, proteinG: amount(PROTEIN), carbsG: amount(CARBS), fatG: amount(FAT) };
}

export function createUsdaClient(config: DataServiceConfig & { apiKey: string }, deps: OutboundDeps, cache: SharedCache): UsdaClient {
  const http = createOutbound(dataServiceProfile("usda"), deps);
  const headers = { "x-api-key": config.apiKey };
  return {
    search(query, { pageSize, page }) {
      const key = `usda:search:${pageSize}:${page}:${query.trim().toLowerCase()}`;
      return cache.through(key, FOOD_TTL_MS, async () => {
        const url = new URL(`${config.baseUrl}/v1/foods/search`);
        url.search = new URLSearchParams({ query, pageSize: String(pageSize), pageNumber: String(page) }).toString();
        const body = await http.send({ endpointKind: "foods.search", method: "GET", url, headers, idempotent: true, schema: searchResponse });
        return {
          totalHits: body.totalHits,
          page: body.currentPage,
          totalPages: body.totalPages,
          foods: body.foods.map((f) => ({
            fdcId: f.fdcId,
            description: f.description,
            dataType: f.dataType ?? null,
            brandOwner: f.brandOwner ?? null,
            per100g: macros(f.foodNutrients.map((n) => ({ id: n.nutrientId, name: n.nutrientName, amount: n.value ?? 0, unit: n.unitName }))),
          })),
        };
      });
    },
    async food(fdcId) {
      try {
        return await cache.through(`usda:food:${fdcId}`, FOOD_TTL_MS, async () => {
          const url = new URL(`${config.baseUrl}/v1/food/${fdcId}`);
          url.search = "format=full";
          const body = await http.send({ endpointKind: "food.get", method: "GET", url, headers, idempotent: true, schema: foodResponse });
          const nutrients = body.foodNutrients
            .filter((n) => n.amount !== undefined)
            .map((n) => ({ id: n.nutrient.id, name: n.nutrient.name, amount: n.amount!, unit: n.nutrient.unitName ?? "" }));
          return {
            fdcId: body.fdcId,
            description: body.description,
            dataType: body.dataType ?? null,
            brandOwner: body.brandOwner ?? null,
            servingSize: body.servingSize ?? null,
            servingSizeUnit: body.servingSizeUnit ?? null,
            per100g: macros(nutrients),
            nutrients,
          };
        });
      } catch (error) {
        // A miss is not cached: an id unknown today may be published tomorrow.
        if (error instanceof BadResponseError && error.status === 404) return null;
        throw error;
      }
    },
  };
}
