import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSharedCache } from "../../service/data-services/cache.js";
import { migrate } from "../../service/db/migrate.js";
import { createTestDatabase } from "../support/database.js";
import { FakeClock } from "../support/fakes/http.js";

let pool: pg.Pool;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase(), max: 2 });
  await migrate(pool);
});
afterAll(() => pool.end());

describe("the shared cache of the data services", () => {
  it("answers from PostgreSQL within the lifetime, loads again after it, and sweeps expired rows", async () => {
    const clock = new FakeClock();
    const cache = createSharedCache(pool, clock.now, (error) => {
      throw error;
    });
    let loads = 0;
    const load = async () => ({ n: ++loads });
    expect(await cache.through("k", 60_000, load)).toEqual({ n: 1 });
    clock.advance(59_000);
    // Another instance: a second cache object on the same table.
    expect(await createSharedCache(pool, clock.now, () => {}).through("k", 60_000, load)).toEqual({ n: 1 });
    clock.advance(2_000);
    expect(await cache.through("k", 60_000, load)).toEqual({ n: 2 });
    await cache.through("short", 1_000, load);
    clock.advance(5_000);
    expect(await cache.sweep()).toBe(1);
    expect((await pool.query("SELECT key FROM external_cache ORDER BY key")).rows).toEqual([{ key: "k" }]);
  });
});
