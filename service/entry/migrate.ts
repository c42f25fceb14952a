// `npm run migrate`: applies pending migrations to the configured database and exits.
// The deploy pipeline runs it as a Cloud Run job before shifting traffic; startup would do it too.
import { composeService } from "../composition.js";
import { loadConfig } from "../config.js";
import { migrate } from "../db/migrate.js";
import { createLogger } from "../logging/index.js";
import { resolveRuntime } from "../runtime.js";

const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, projectId: config.googleCloudProject });
const runtime = await resolveRuntime(config, () => {});
const service = composeService(runtime.config, logger);
try {
  const { applied, alreadyApplied } = await migrate(service.pool);
  logger.info("migrations done", { applied, alreadyApplied });
} finally {
  await service.close();
  await runtime.release();
}
