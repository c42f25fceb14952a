import pg from "pg";
import type { DatabaseConfig } from "../config.js";
import { metadataTokenSource } from "./iam-token.js";
import type { EventLog } from "../logging/events.js";
import { observeAll, observedClient, type QueryObserver } from "./observed-client.js";
import { querySpans } from "./query-spans.js";
import { slowQueryObserver } from "./slow-queries.js";

export type Pool = pg.Pool;
export type Queryable = pg.Pool | pg.PoolClient;

export interface PoolOptions {
  /** Connections at most; default config.poolMax. */
  max?: number;
  /** Shown in pg_stat_activity; default "pierre". */
  applicationName?: string;
  /**
   * Every commit on these connections returns without waiting for its WAL flush (synchronous_commit =
   * off). A Postgres crash may then lose the last moments of commits (it never corrupts data), so use it
   * only for data where that loss is acceptable: rate-limit counters.
   */
  asyncCommit?: boolean;
  /** Told of every statement (observed-client.ts). */
  observeQuery?: QueryObserver;
}

/**
 * Builds a pool from config. Without a URL, pg reads the standard PG* variables (PGHOST, PGUSER, ...),
 * which is how Cloud Run passes the Cloud SQL private IP and the IAM database user; with iamAuth each
 * new connection's password is the service account's current access token.
 */
export function createPool(config: DatabaseConfig, options: PoolOptions = {}): pg.Pool {
  return new pg.Pool({
    connectionString: config.url,
    max: options.max ?? config.poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    ssl: sslOptions(config),
    password: config.iamAuth ? metadataTokenSource(config.iamAuth.metadataUrl) : undefined,
    application_name: options.applicationName ?? "pierre",
    // A startup parameter, so the setting costs no extra statement per connection.
    options: options.asyncCommit ? "-c synchronous_commit=off" : undefined,
    Client: options.observeQuery ? observedClient(options.observeQuery) : undefined,
  });
}

/** The service's pools: everything else, and the rate-limit counters (see counterPool). */
export interface ServicePools {
  pool: pg.Pool;
  /**
   * Asynchronous commit (see PoolOptions.asyncCommit) for the rate limiter only. Its statement runs on
   * every request and updates the same hot rows for all requests of a key, so waiting for a WAL flush
   * while holding those row locks would serialize a key's requests on the disk.
   */
  counterPool: pg.Pool;
}

/**
 * Splits the instance's config.poolMax connections (what the database's max_connections is sized by)
 * into the two pools: a fifth, at least one, for the counters' short statements. Slow statements of
 * either are logged to `log` as db_slow_query events, and every statement is a span when tracing is on.
 */
export function createServicePools(config: DatabaseConfig, log: EventLog): ServicePools {
  const counterConnections = Math.max(1, Math.round(config.poolMax / 5));
  return {
    pool: createPool(config, { max: Math.max(1, config.poolMax - counterConnections), observeQuery: observed(log, "main") }),
    counterPool: createPool(config, { max: counterConnections, applicationName: "pierre-counters", asyncCommit: true, observeQuery: observed(log, "counters") }),
  };
}

/** Slow statements logged, every statement a span (a no-op while tracing is off). */
function observed(log: EventLog, pool: string): QueryObserver {
  return observeAll(slowQueryObserver(log, pool), querySpans(pool));
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
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back (the database went away) must not go back to the pool.
    broken = await client.query("ROLLBACK").then(() => undefined, (rollbackError: Error) => rollbackError);
    throw error;
  } finally {
    client.release(broken);
  }
}
