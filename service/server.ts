// Starts the HTTP service on a ready database and stops it gracefully. Used by main.ts and by tests.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type pg from "pg";
import type { Logger } from "winston";
import { createApp } from "./app.js";
import type { CodeCacheState } from "./boot/code-cache.js";
import type { Config } from "./config.js";
import { createServicePools } from "./db/pool.js";
import { migrate } from "./db/migrate.js";

export interface RunningServer {
  /** Base URL the server is reachable at from this machine. */
  url: string;
  port: number;
  pool: pg.Pool;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), then closes the pools. */
  close(): Promise<void>;
}

/** How the production bundle was loaded (boot/code-cache.ts); reported in the "listening" log line. */
export interface BootInfo {
  codeCache: CodeCacheState;
}

export async function startServer(config: Config, logger: Logger, boot?: BootInfo): Promise<RunningServer> {
  const { pool, counterPool } = createServicePools(config.database, logger);
  const onIdleConnectionError = (error: Error) => logger.error("idle database connection failed", { error });
  pool.on("error", onIdleConnectionError);
  counterPool.on("error", onIdleConnectionError);
  const { applied } = await migrate(pool);
  if (applied.length > 0) logger.info("database migrated", { applied });

  const app = createApp({ config, pool, counterPool, logger });
  const server = await listen(app, config);
  const { port } = server.address() as AddressInfo;
  logger.info("listening", { host: config.host, port, publicBaseUrl: config.publicBaseUrl, ...boot });

  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}`,
    port,
    pool,
    close() {
      closing ??= (async () => {
        await drain(server, config.shutdownGraceMs);
        await Promise.all([pool.end(), counterPool.end()]);
      })();
      return closing;
    },
  };
}

function listen(app: ReturnType<typeof createApp>, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(server)));
    // Cloud Run's front end keeps connections open for reuse; outlive its idle timeout.
    server.keepAliveTimeout = 620_000;
    server.headersTimeout = 630_000;
  });
}

/**
 * server.close() stops accepting and waits for in-flight requests; Node closes each keep-alive socket as
 * its response completes, and idle ones at once. Whatever is still open at the deadline is cut.
 */
async function drain(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, graceMs);
  });
  await Promise.race([closed, deadline]);
  clearTimeout(timer);
}
