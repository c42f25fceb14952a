// Applies service/db/migrations/*.sql in name order, each in its own transaction, under a Postgres
// advisory lock so that many instances starting together migrate exactly once.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type pg from "pg";

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
// Arbitrary constant shared by every instance: "pierre migrations".
const MIGRATION_LOCK_ID = 0x70696572;

export interface Migration {
  version: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(`${dir}/${file}`, "utf8");
      return { version: file.replace(/\.sql$/, ""), sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export async function migrate(pool: pg.Pool, migrations?: Migration[]): Promise<MigrationResult> {
  const pending = migrations ?? (await loadMigrations());
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ version: string; checksum: string }>(
        "SELECT version, checksum FROM schema_migrations",
      );
      const done = new Map(rows.map((row) => [row.version, row.checksum]));
      const result: MigrationResult = { applied: [], alreadyApplied: [] };
      for (const migration of pending) {
        const appliedChecksum = done.get(migration.version);
        if (appliedChecksum !== undefined) {
          if (appliedChecksum !== migration.checksum) {
            throw new Error(`migration ${migration.version} was changed after it was applied; add a new migration instead`);
          }
          result.alreadyApplied.push(migration.version);
          continue;
        }
        await client.query("BEGIN");
        try {
          await client.query(migration.sql);
          await client.query("INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)", [
            migration.version,
            migration.checksum,
          ]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${migration.version} failed: ${(error as Error).message}`, { cause: error });
        }
        result.applied.push(migration.version);
      }
      return result;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}
