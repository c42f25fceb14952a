// Winston logger writing one Cloud Logging structured-JSON line per entry.
//
// The JSON is built here with plain winston formats instead of @google-cloud/logging-winston:
// measured with `node -e`, requiring that package adds about 500 ms (it loads google-gax and gRPC,
// 140+ files) against about 65 ms for winston itself, which alone would break the 500 ms cold-start
// budget. Stdout lines in this shape are parsed by Cloud Run's logging agent the same way.
import winston from "winston";
import { LOG_LEVELS, logLevelSchema, type LogLevel } from "./levels.js";
import { redact, setField } from "./redact.js";
import type { TraceContext } from "./trace.js";

export { LOG_LEVELS, logLevelSchema, type LogLevel } from "./levels.js";

const SEVERITY: ReadonlyMap<string, string> = new Map<LogLevel, string>([
  ["crit", "CRITICAL"],
  ["error", "ERROR"],
  ["warn", "WARNING"],
  ["notice", "NOTICE"],
  ["info", "INFO"],
  ["debug", "DEBUG"],
]);

/** Cloud Logging's HttpRequest (https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry#HttpRequest). */
export interface HttpRequestLog {
  requestMethod: string;
  requestUrl: string;
  status?: number;
  requestSize?: string;
  responseSize?: string;
  userAgent?: string;
  remoteIp?: string;
  referer?: string;
  /** Duration in seconds with an "s" suffix, e.g. "0.012000000s". */
  latency: string;
  protocol: string;
}

/**
 * The plain winston type, so code typed against winston's Logger interoperates. The methods that exist
 * at runtime are those of LOG_LEVELS (winston creates one per configured level; its static type also
 * lists npm and syslog names such as silly or emerg that are not configured here). child() adds fields
 * to every entry and still goes through the redactor.
 */
export type Logger = winston.Logger;

export interface LoggerOptions {
  /** Least severe level written; default "info". */
  level?: LogLevel;
  /** Google Cloud project id; when known, traces are written as projects/<id>/traces/<traceId>. */
  projectId?: string;
  /** Human-readable lines for local development instead of JSON. */
  pretty?: boolean;
  /** Where lines go; default process.stdout (Cloud Run forwards it to Cloud Logging). */
  stream?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = logLevelSchema.safeParse(options.level);
  if (!level.success) {
    throw new Error(`Invalid log level ${JSON.stringify(options.level)}: expected one of ${LOG_LEVELS.join(", ")}`);
  }
  const render = options.pretty ? renderPretty : (entry: Record<string, unknown>) => JSON.stringify(entry);
  return winston.createLogger({
    levels: Object.fromEntries(LOG_LEVELS.map((name, rank) => [name, rank])),
    level: level.data,
    // Redaction is part of the logger's own format, so every entry passes through it, including
    // those of child loggers and defaultMeta.
    format: winston.format.combine(
      redactFormat(),
      winston.format.printf((info) => render(cloudLoggingEntry(info, options.projectId))),
    ),
    transports: [new winston.transports.Stream({ stream: options.stream ?? process.stdout })],
  });
}

const LEVEL = Symbol.for("level"); // winston's (triple-beam's) key for the level transports filter on

const redactFormat = winston.format((info) => {
  const copy = redact(info) as winston.Logform.TransformableInfo;
  copy[LEVEL] = info[LEVEL];
  return copy;
});

const TRACE_KEY = "logging.googleapis.com/trace";
const SPAN_KEY = "logging.googleapis.com/spanId";
const SAMPLED_KEY = "logging.googleapis.com/trace_sampled";
const LABELS_KEY = "logging.googleapis.com/labels";

function cloudLoggingEntry(
  info: winston.Logform.TransformableInfo,
  projectId: string | undefined,
): Record<string, unknown> {
  const { level, message, trace, requestId, httpRequest } = info;
  const entry: Record<string, unknown> = {
    // Every configured level has a severity (winston drops unknown levels); DEFAULT means "none".
    severity: SEVERITY.get(level) ?? "DEFAULT",
    message: message ?? "",
    time: new Date().toISOString(),
  };
  // Request context fields are lifted only when well-formed; otherwise they stay in jsonPayload.
  const lifted = new Set(["level", "message"]);
  if (isTraceContext(trace)) {
    lifted.add("trace");
    entry[TRACE_KEY] = projectId ? `projects/${projectId}/traces/${trace.traceId}` : trace.traceId;
    if (trace.spanId) entry[SPAN_KEY] = trace.spanId;
    if (trace.sampled !== undefined) entry[SAMPLED_KEY] = trace.sampled;
  }
  if (typeof requestId === "string") {
    lifted.add("requestId");
    entry[LABELS_KEY] = { requestId };
  }
  if (typeof httpRequest === "object" && httpRequest !== null) {
    lifted.add("httpRequest");
    entry.httpRequest = httpRequest;
  }
  // Special fields first for readability; metadata cannot overwrite them, and a "__proto__" key stays data.
  for (const key of Object.keys(info)) {
    if (!lifted.has(key) && !Object.hasOwn(entry, key)) setField(entry, key, info[key]);
  }
  return entry;
}

function isTraceContext(value: unknown): value is TraceContext {
  return typeof (value as TraceContext | undefined)?.traceId === "string";
}

function renderPretty(entry: Record<string, unknown>): string {
  const { time, severity, message, ...details } = entry;
  const rest = Object.keys(details).length > 0 ? ` ${JSON.stringify(details)}` : "";
  return `${String(time)} ${String(severity).padEnd(8)} ${String(message)}${rest}`;
}
