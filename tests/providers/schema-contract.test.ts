// The proposed 0008 schema and the normalized model name the same sports and providers; this fails the
// moment either side adds one the other lacks.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../service/db/migrate.js";
import { PROVIDER_IDS, SPORTS } from "../../service/fitness/model.js";
import { createTestDatabase } from "../support/database.js";

let pool: pg.Pool;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase(), max: 2 });
  await migrate(pool);
});
afterAll(() => pool.end());

async function allowedValues(constraint: string): Promise<string[]> {
  const { rows } = await pool.query<{ def: string }>(
    "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1",
    [constraint],
  );
  expect(rows).toHaveLength(1);
  return [...rows[0]!.def.matchAll(/'([^']+)'::text/g)].map((m) => m[1]!).sort();
}

describe("fitness schema contract", () => {
  it("allows exactly the model's sports", async () => {
    expect(await allowedValues("fitness_activities_sport_check")).toEqual([...SPORTS].sort());
  });

  it("allows exactly the model's providers on connections", async () => {
    expect(await allowedValues("provider_connections_provider_check")).toEqual([...PROVIDER_IDS].sort());
  });
});
