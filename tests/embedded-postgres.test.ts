import pg from "pg";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "./support/database.js";

describe("test database", () => {
  it("is a real PostgreSQL 16 reached over pg", async () => {
    const client = new pg.Client(await createTestDatabase());
    await client.connect();
    try {
      const { rows } = await client.query<{ server_version_num: string }>("SHOW server_version_num");
      expect(Number(rows[0].server_version_num)).toBeGreaterThanOrEqual(160000);
      expect(Number(rows[0].server_version_num)).toBeLessThan(170000);
    } finally {
      await client.end();
    }
  });
});
