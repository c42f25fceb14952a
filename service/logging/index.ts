/**
 * Structured logging for Cloud Run: one Cloud Logging JSON line per entry on stdout, redacted.
 *
 *   const logger = createLogger({ level: config.logLevel, projectId: config.googleCloudProject });
 *   app.use(accessLog(logger, config.trustProxyHops)); // first middleware
 *   res.locals.log.info("synced", { activities: 12 });   // in handlers: carries trace + request id
 *   res.locals.log.error("sync failed", { error });       // Errors go in metadata, serialized with stack
 *
 * createLogger({ level?, projectId?, pretty?, stream? }) returns a winston logger (no global instance;
 *   tests pass a PassThrough as `stream`). Levels: crit, error, warn, notice, info, debug (default info),
 *   written as severity CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG. `logLevelSchema` parses LOG_LEVEL.
 *   Metadata `requestId`, `trace` (TraceContext) and `httpRequest` become Cloud Logging's labels,
 *   logging.googleapis.com/trace + spanId + trace_sampled, and httpRequest; other fields go to jsonPayload.
 * accessLog(logger, trustProxyHops) is connect-style middleware on Node's types (Express and the /mcp fast path): request id from a valid X-Request-Id or a new UUID, echoed in
 *   the X-Request-Id response header and kept in res.locals.requestId; res.locals.log is a child logger
 *   with the trace and request id; exactly one access line per request (status >= 500 ERROR, >= 400 or
 *   client aborted WARNING, else INFO). Its remoteIp trusts trustProxyHops X-Forwarded-For entries, as Express's req.ip does.
 * Every entry (message, metadata, child fields) passes through `redact` inside the logger: credential
 *   headers and fields in any casing, Bearer tokens, JWTs, API keys (API_KEY_PATTERN, broader than the issued format of the
 *   API-key module), URL passwords and credential query parameters are replaced; emails are masked.
 *   Log provider response bodies only as `describeBody(body)` ({ bytes }), never their content.
 * traceFromHeaders / parseTraceparent / parseCloudTraceContext read trace headers, strictly.
 * events.ts (imported directly, also by the monitoring stack, so it loads no winston) names every
 *   structured event and its fields: emitEvent(log, "tool_call", {...}), emitExternalApiCall for provider
 *   clients, emitSecurityEvent for the audit trail, tenantBucket for tenant labels.
 */
export { accessLog } from "./access-log.js";
export {
  createLogger,
  LOG_LEVELS,
  logLevelSchema,
  type HttpRequestLog,
  type LogLevel,
  type Logger,
  type LoggerOptions,
} from "./logger.js";
export { API_KEY_PATTERN, describeBody, isSensitiveKey, redact, redactText, REDACTED } from "./redact.js";
export { parseCloudTraceContext, parseTraceparent, traceFromHeaders, type TraceContext } from "./trace.js";
