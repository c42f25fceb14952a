import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "../../service/db/migrate.js";
import { createTestDatabase } from "../support/database.js";

const pools: pg.Pool[] = [];
async function freshPool(url?: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url ?? (await createTestDatabase()), max: 3 });
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

const EXPECTED_TABLES = [
  "tenants", "users", "tenant_memberships", "api_keys", "data_encryption_keys", "rsa_keypairs", "oauth2_clients",
  "oauth2_auth_codes", "oauth2_refresh_tokens", "user_oauth_tokens", "provider_connections", "goals", "insights",
  "fitness_configurations", "rate_limit_counters", "audit_events", "a2a_clients", "a2a_sessions", "a2a_tasks",
  "schema_migrations",
];

describe("migrations", () => {
  it("builds the whole schema on an empty database and is a no-op when re-run", async () => {
    const pool = await freshPool();
    const all = (await loadMigrations()).map((m) => m.version);
    expect(all[0]).toBe("0001_initial");

    const first = await migrate(pool);
    expect(first.applied).toEqual(all);
    const { rows } = await pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(EXPECTED_TABLES));

    const second = await migrate(pool);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(all);
  });

  it("applies each migration exactly once when many instances start together", async () => {
    const url = await createTestDatabase();
    const instances = await Promise.all(Array.from({ length: 6 }, () => freshPool(url)));
    const results = await Promise.all(instances.map((pool) => migrate(pool)));
    const appliedCounts = results.map((r) => r.applied.length);
    expect(appliedCounts.filter((n) => n > 0)).toHaveLength(1);
    const { rows } = await instances[0].query("SELECT version FROM schema_migrations");
    expect(rows).toHaveLength((await loadMigrations()).length);
  });

  it("refuses to run when an applied migration was edited", async () => {
    const pool = await freshPool();
    const migrations = await loadMigrations();
    await migrate(pool, migrations);
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await expect(migrate(pool, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls back a failing migration completely and records nothing", async () => {
    const pool = await freshPool();
    await migrate(pool);
    const broken = { version: "9999_broken", sql: "CREATE TABLE half_done (id int); SELECT * FROM no_such_table;", checksum: "x" };
    await expect(migrate(pool, [...(await loadMigrations()), broken])).rejects.toThrow(/9999_broken failed/);
    const { rows } = await pool.query("SELECT to_regclass('half_done') AS t, (SELECT count(*) FROM schema_migrations WHERE version = '9999_broken') AS n");
    expect(rows[0]).toEqual({ t: null, n: "0" });
  });
});
