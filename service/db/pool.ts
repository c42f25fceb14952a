import pg from "pg";
import type { DatabaseConfig } from "../config.js";

export type Pool = pg.Pool;
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * Builds the pool from config. Without a URL, pg reads the standard PG* variables (PGHOST, PGUSER,
 * PGPASSWORD, ...), which is how Cloud Run passes the Cloud SQL private IP and the secret password.
 */
export function createPool(config: DatabaseConfig): pg.Pool {
  return new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    ssl: sslOptions(config),
    application_name: "pierre",
  });
}

function sslOptions(config: DatabaseConfig): pg.PoolConfig["ssl"] {
  if (config.ssl === "disable") return undefined;
  if (!config.sslCa) return { rejectUnauthorized: false };
  // Cloud SQL's server certificate names the instance, not the private IP we dial: verify the chain
  // against the instance CA and skip only the hostname check.
  return { ca: config.sslCa, rejectUnauthorized: true, checkServerIdentity: () => undefined };
}

/** Runs `work` in one transaction on one connection; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
