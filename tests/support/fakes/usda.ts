// A local USDA FoodData Central speaking the shapes of GET /fdc/v1/foods/search and GET /fdc/v1/food/{fdcId}
// (format=full): a small food table, the api.data.gov key checked in X-Api-Key or api_key, 403 without it
// (api.data.gov answers API_KEY_INVALID / API_KEY_MISSING with 403), 404 for an unknown id.
import { startFakeServer, type FakeRequest, type FakeServer } from "./http.js";

export interface FakeFood {
  fdcId: number;
  description: string;
  dataType: string;
  /** nutrient id -> [name, unit, amount per 100 g] */
  nutrients: Record<number, [string, string, number]>;
}

export const FAKE_FOODS: FakeFood[] = [
  {
    fdcId: 1105314,
    description: "Bananas, ripe and slightly ripe, raw",
    dataType: "Foundation",
    nutrients: { 1008: ["Energy", "KCAL", 97], 1003: ["Protein", "G", 0.74], 1004: ["Total lipid (fat)", "G", 0.29], 1005: ["Carbohydrate, by difference", "G", 23] },
  },
  {
    fdcId: 173944,
    description: "Banana chips",
    dataType: "SR Legacy",
    nutrients: { 1008: ["Energy", "KCAL", 519], 1003: ["Protein", "G", 2.3], 1004: ["Total lipid (fat)", "G", 33.6], 1005: ["Carbohydrate, by difference", "G", 58.4] },
  },
  {
    fdcId: 2346396,
    description: "Oats, whole grain, rolled, old fashioned",
    dataType: "Foundation",
    // Foundation foods may list only the Atwater energies.
    nutrients: { 2048: ["Energy (Atwater Specific Factors)", "KCAL", 375], 1003: ["Protein", "G", 13.5], 1004: ["Total lipid (fat)", "G", 5.89], 1005: ["Carbohydrate, by difference", "G", 68.7] },
  },
];

export const USDA_FAKE_KEY = "usda-test-key";

function authorized(request: FakeRequest): boolean {
  return (request.headers["x-api-key"] ?? request.url.searchParams.get("api_key")) === USDA_FAKE_KEY;
}

const forbidden = { status: 403, body: { error: { code: "API_KEY_INVALID", message: "An invalid api_key was supplied." } } };

export async function startUsdaFake(): Promise<FakeServer> {
  return startFakeServer([
    {
      name: "foods.search",
      method: "GET",
      path: /^\/fdc\/v1\/foods\/search$/,
      handle(request) {
        if (!authorized(request)) return forbidden;
        const query = (request.url.searchParams.get("query") ?? "").toLowerCase();
        const pageSize = Number(request.url.searchParams.get("pageSize") ?? 50);
        const page = Number(request.url.searchParams.get("pageNumber") ?? 1);
        const hits = FAKE_FOODS.filter((f) => query.split(/\s+/).every((word) => f.description.toLowerCase().includes(word)));
        const slice = hits.slice((page - 1) * pageSize, page * pageSize);
        return {
          status: 200,
          body: {
            totalHits: hits.length,
            currentPage: page,
            totalPages: Math.ceil(hits.length / pageSize),
            pageList: [1],
            foodSearchCriteria: { query, generalSearchInput: query, pageNumber: page, numberOfResultsPerPage: pageSize, pageSize, requireAllWords: false },
            foods: slice.map((f) => ({
              fdcId: f.fdcId,
              description: f.description,
              dataType: f.dataType,
              publishedDate: "2020-10-30",
              score: 500,
              foodNutrients: Object.entries(f.nutrients).map(([id, [name, unit, value]]) => ({
                nutrientId: Number(id),
                nutrientName: name,
                nutrientNumber: String(Number(id) - 700),
                unitName: unit,
                value,
              })),
            })),
            aggregations: { dataType: {}, nutrients: {} },
          },
        };
      },
    },
    {
      name: "food.get",
      method: "GET",
      path: /^\/fdc\/v1\/food\/(?<id>\d+)$/,
      handle(request, { id }) {
        if (!authorized(request)) return forbidden;
        const food = FAKE_FOODS.find((f) => f.fdcId === Number(id));
        if (!food) return { status: 404, body: { message: `No food found with fdcId ${id}` } };
        return {
          status: 200,
          body: {
            fdcId: food.fdcId,
            description: food.description,
            dataType: food.dataType,
            publicationDate: "10/30/2020",
            foodClass: "FinalFood",
            foodNutrients: Object.entries(food.nutrients).map(([nid, [name, unit, amount]], i) => ({
              type: "FoodNutrient",
              id: 9_000_000 + i,
              nutrient: { id: Number(nid), number: String(Number(nid) - 700), name, rank: 100 * (i + 1), unitName: unit.toLowerCase() === "kcal" ? "kcal" : "g" },
              amount,
              dataPoints: 3,
            })),
          },
        };
      },
    },
  ]);
}
