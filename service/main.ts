// Process entry point: `npm start` (tsx) or `node dist/service/main.js` (container).
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logging/index.js";
import { resolveRuntime } from "./runtime.js";
import { startServer } from "./server.js";

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const logger = createLogger({ level: parsed.logLevel, projectId: parsed.googleCloudProject });
  const runtime = await resolveRuntime(parsed, (message) => logger.info(message));
  const server = await startServer(runtime.config, logger);
  if (runtime.config.database.source === "embedded") {
    logger.info(`MCP endpoint ready at ${runtime.config.mcpResourceUrl}`);
  }

  const shutdown = async (signal: string) => {
    logger.info("shutting down", { signal });
    await server.close();
    await runtime.release();
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
