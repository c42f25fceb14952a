// Log levels and their schema, apart from the logger so the configuration schema (which the
// infrastructure stacks import too) does not load winston.
import { z } from "zod";

/** Levels from most to least severe; each maps to the Cloud Logging severity of the same rank. */
export const LOG_LEVELS = ["crit", "error", "warn", "notice", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** For the service configuration: a LOG_LEVEL value, "info" when absent. */
export const logLevelSchema = z.enum(LOG_LEVELS).default("info");
