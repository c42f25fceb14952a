import { describe, expect, it } from "vitest";
import { createServicePools } from "../../service/db/pool.js";
import { createTestDatabase } from "../support/database.js";

describe("service pools", () => {
  it("splits DB_POOL_MAX between the main pool and the counters' pool, which alone commits asynchronously", async () => {
    const { pool, counterPool } = createServicePools({ source: "url", url: await createTestDatabase(), poolMax: 10, ssl: "disable" });
    try {
      expect(pool.options.max + counterPool.options.max).toBe(10);
      expect(counterPool.options.max).toBe(2);
      expect((await pool.query("SHOW synchronous_commit")).rows[0].synchronous_commit).toBe("on");
      expect((await counterPool.query("SHOW synchronous_commit")).rows[0].synchronous_commit).toBe("off");
    } finally {
      await Promise.all([pool.end(), counterPool.end()]);
    }
  });
});
