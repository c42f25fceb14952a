// Starts the service as a process: configuration, logger, database (embedded when none is configured),
// HTTP server, and the signal handlers that drain it. Entry points: main.ts (`npm start`) and the
// production bundle's entry/bundle-main.ts (`node dist/main.js`).
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logging/index.js";
import { routeConsoleToLogger } from "./logging/console.js";
import { resolveRuntime } from "./runtime.js";
import { startServer, type BootInfo } from "./server.js";
import { startTracing } from "./tracing/sdk.js";

export async function startService(boot?: BootInfo): Promise<void> {
  try {
    await run(boot);
  } catch (error) {
    // Straight to stderr: the console may already be the logger's (routeConsoleToLogger), at warn.
    process.stderr.write(`failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

async function run(boot: BootInfo | undefined): Promise<void> {
  let parsed;
  try {
    parsed = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: parsed.logLevel, projectId: parsed.googleCloudProject });
  routeConsoleToLogger(logger);
  const runtime = await resolveRuntime(parsed, (message) => logger.info(message));
  const server = await startServer(runtime.config, logger, boot);
  // After listening: nothing of tracing delays the first request (tracing/sdk.ts).
  const tracing = parsed.traceSampleRatio > 0
    ? startTracing({ sampleRatio: parsed.traceSampleRatio, projectId: parsed.googleCloudProject, log: logger })
    : undefined;
  if (runtime.config.database.source === "embedded") {
    logger.info(`MCP endpoint ready at ${runtime.config.mcpResourceUrl}`);
  }

  // Each step is attempted whatever happened to the one before (a crashed database must not keep the
  // embedded cluster from being stopped, nor the process from saying it stopped).
  const shutdown = async (signal: string) => {
    logger.info("shutting down", { signal });
    let failed = false;
    const steps = [["server", () => server.close()], ["tracing", async () => tracing?.shutdown()], ["database", () => runtime.release()]] as const;
    for (const [step, run] of steps) {
      try {
        await run();
      } catch (error) {
        failed = true;
        logger.error(`shutdown: stopping the ${step} failed`, { error });
      }
    }
    logger.info("stopped");
    process.exit(failed ? 1 : 0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}
