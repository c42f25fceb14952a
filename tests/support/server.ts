// Starts the real service on 127.0.0.1 (ephemeral port) against a fresh test database.
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { loadConfig, type Config } from "../../service/config.js";
import { createLogger } from "../../service/logging/index.js";
import { startServer, type RunningServer } from "../../service/server.js";
import { freePort } from "../../service/free-port.js";
import { createTestDatabase } from "./database.js";

export interface TestServer extends RunningServer {
  config: Config;
  /** Every log line the server wrote, parsed. */
  logs: Record<string, unknown>[];
  rawLogs: string[];
}

/**
 * `env` is merged over a test baseline; PUBLIC_BASE_URL defaults to the server's own address once the
 * port is known unless given.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
  const base = {
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: databaseUrl,
    PASSWORD_HASH_COST: "4",
    SHUTDOWN_GRACE_MS: "3000",
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    LOG_LEVEL: "debug",
    // Tests that move time by editing rows (a sync 16 minutes old) would otherwise get answers up to a
    // minute old; reuse itself is tested with it on (tests/mcp/answer-reuse.test.ts).
    ANSWER_CACHE_SECONDS: "0",
  };
  const stream = new PassThrough();
  const rawLogs: string[] = [];
  stream.on("data", (chunk: Buffer) => rawLogs.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  // As on Cloud Run, where GOOGLE_CLOUD_PROJECT is set: traces are written as projects/<id>/traces/<trace>.
  const logger = createLogger({ level: "debug", stream, projectId: env.GOOGLE_CLOUD_PROJECT });

  // The issuer (PUBLIC_BASE_URL) names the port, so it is chosen before the server starts.
  const port = env.PORT ?? String(await freePort());
  const config = loadConfig({ ...base, PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...env, PORT: port });
  const server = await startServer(config, logger);
  return {
    ...server,
    config,
    rawLogs,
    get logs() {
      return rawLogs.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
  };
}
