import { describe, expect, it } from "vitest";
import { createServicePools } from "../../service/db/pool.js";
import { SLOW_QUERY_MS } from "../../service/db/slow-queries.js";
import { captureLogger } from "../support/log-capture.js";
import { createTestDatabase } from "../support/database.js";

async function withPools(work: (pools: ReturnType<typeof createServicePools>, entries: () => Record<string, unknown>[]) => Promise<void>) {
  const { logger, entries } = captureLogger();
  const pools = createServicePools({ source: "url", url: await createTestDatabase(), poolMax: 10, ssl: "disable" }, logger);
  try {
    await work(pools, entries);
  } finally {
    await Promise.all([pools.pool.end(), pools.counterPool.end()]);
  }
}

const sleepSeconds = ((SLOW_QUERY_MS + 50) / 1000).toFixed(3);

describe("service pools", () => {
  it("splits DB_POOL_MAX between the main pool and the counters' pool, which alone commits asynchronously", () =>
    withPools(async ({ pool, counterPool }) => {
      expect(pool.options.max + counterPool.options.max).toBe(10);
      expect(counterPool.options.max).toBe(2);
      expect((await pool.query("SHOW synchronous_commit")).rows[0].synchronous_commit).toBe("on");
      expect((await counterPool.query("SHOW synchronous_commit")).rows[0].synchronous_commit).toBe("off");
    }));

  it("logs statements slower than SLOW_QUERY_MS as db_slow_query, naming the pool, without parameter values", () =>
    withPools(async ({ pool, counterPool }, entries) => {
      await pool.query("SELECT 1");
      await pool.query(`SELECT pg_sleep($1),\n   'main'`, [sleepSeconds]);
      const client = await counterPool.connect();
      try {
        await client.query({ text: "SELECT pg_sleep($1)", values: [sleepSeconds] });
        await expect(client.query("SELECT pg_sleep($1)::text::int", [sleepSeconds])).rejects.toThrow(/invalid input syntax/);
      } finally {
        client.release();
      }
      const slow = entries().filter((entry) => entry.event === "db_slow_query");
      expect(slow.map(({ pool: name, statement }) => ({ name, statement }))).toEqual([
        { name: "main", statement: "SELECT pg_sleep($1), 'main'" },
        { name: "counters", statement: "SELECT pg_sleep($1)" },
        { name: "counters", statement: "SELECT pg_sleep($1)::text::int" },
      ]);
      for (const entry of slow) {
        expect(entry.severity).toBe("WARNING");
        expect(entry.durationMs).toBeGreaterThanOrEqual(SLOW_QUERY_MS);
      }
      expect(JSON.stringify(slow)).not.toContain(sleepSeconds);
    }));
});
