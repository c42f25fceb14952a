// `npm run migrate`: applies pending migrations to the configured database and exits.
// The deploy pipeline runs it as a Cloud Run job before shifting traffic; startup would do it too.
import { loadConfig } from "../config.js";
import { resolveRuntime } from "../runtime.js";
import { migrate } from "./migrate.js";
import { createPool } from "./pool.js";

const runtime = await resolveRuntime(loadConfig(process.env), () => {});
const pool = createPool(runtime.config.database);
try {
  const { applied, alreadyApplied } = await migrate(pool);
  process.stdout.write(`${JSON.stringify({ severity: "INFO", message: "migrations done", applied, alreadyApplied })}\n`);
} finally {
  await pool.end();
  await runtime.release();
}
