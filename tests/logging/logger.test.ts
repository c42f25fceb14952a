import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, LOG_LEVELS, logLevelSchema, type LogLevel } from "../../service/logging/index.js";
import { captureLogger } from "../support/log-capture.js";

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

const SEVERITIES = [
  ["crit", "CRITICAL"],
  ["error", "ERROR"],
  ["warn", "WARNING"],
  ["notice", "NOTICE"],
  ["info", "INFO"],
  ["debug", "DEBUG"],
] as const;

describe("Cloud Logging entry shape", () => {
  it.each(SEVERITIES)("writes level %s as severity %s", (level, severity) => {
    const { logger, entries } = captureLogger();
    logger[level]("hello");
    expect(entries()).toEqual([{ severity, message: "hello", time: expect.stringMatching(RFC3339_UTC) }]);
  });

  it("has a severity for every level it accepts", () => {
    expect(SEVERITIES.map(([level]) => level)).toEqual(LOG_LEVELS);
  });

  it("writes one newline-terminated JSON line per entry, with the current time", () => {
    const { logger, output, entries } = captureLogger();
    const before = Date.now();
    logger.info("first\nwith a newline inside");
    logger.warn("second", { attempt: 2, nested: { ok: true } });
    const after = Date.now();

    const lines = output().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    const [first, second] = entries();
    expect(first.message).toBe("first\nwith a newline inside");
    expect(second).toEqual({
      severity: "WARNING",
      message: "second",
      time: expect.stringMatching(RFC3339_UTC),
      attempt: 2,
      nested: { ok: true },
    });
    const time = Date.parse(String(second.time));
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
  });

  it("lifts trace, span, sampling and request id into Cloud Logging's special fields", () => {
    const { logger, entries } = captureLogger({ projectId: "pierre-prod" });
    logger.child({ requestId: "req-1", trace: { traceId: TRACE_ID, spanId: "00f067aa0ba902b7", sampled: true } }).info("in request");
    expect(entries()).toEqual([
      {
        severity: "INFO",
        message: "in request",
        time: expect.stringMatching(RFC3339_UTC),
        "logging.googleapis.com/trace": `projects/pierre-prod/traces/${TRACE_ID}`,
        "logging.googleapis.com/spanId": "00f067aa0ba902b7",
        "logging.googleapis.com/trace_sampled": true,
        "logging.googleapis.com/labels": { requestId: "req-1" },
      },
    ]);
  });

  it("writes the bare trace id when no project id is configured", () => {
    const { logger, entries } = captureLogger();
    logger.info("x", { trace: { traceId: TRACE_ID } });
    const [entry] = entries();
    expect(entry["logging.googleapis.com/trace"]).toBe(TRACE_ID);
    expect(entry).not.toHaveProperty(["logging.googleapis.com/spanId"]);
    expect(entry).not.toHaveProperty(["logging.googleapis.com/trace_sampled"]);
  });

  it("keeps a `trace` field that is not a trace context as ordinary payload", () => {
    const { logger, entries } = captureLogger({ projectId: "p" });
    logger.info("x", { trace: "at line 3" });
    expect(entries()[0]).toMatchObject({ trace: "at line 3" });
    expect(entries()[0]).not.toHaveProperty(["logging.googleapis.com/trace"]);
  });

  it("passes httpRequest through as the top-level Cloud Logging field", () => {
    const { logger, entries } = captureLogger();
    const httpRequest = { requestMethod: "GET", requestUrl: "/health", status: 200, latency: "0.001000000s", protocol: "HTTP/1.1" };
    logger.info("GET /health 200", { httpRequest });
    expect(entries()[0].httpRequest).toEqual(httpRequest);
  });

  it("does not let metadata overwrite severity, message or time", () => {
    const { logger, entries } = captureLogger();
    logger.error("real", { severity: "DEBUG", time: "yesterday" });
    expect(entries()[0]).toMatchObject({ severity: "ERROR", message: "real", time: expect.stringMatching(RFC3339_UTC) });
  });

  it("keeps a __proto__ field of a logged info object as data in the line", () => {
    const { logger, output } = captureLogger();
    logger.log({ level: "info", message: "parsed input", ...(JSON.parse('{"__proto__": {"note": "kept"}}') as object) });
    expect(output()).toContain('"__proto__":{"note":"kept"}');
  });

  it("serializes an Error passed as metadata or as the entry itself", () => {
    const { logger, entries } = captureLogger();
    const error = Object.assign(new Error("database down"), { code: "ECONNREFUSED" });
    logger.error("query failed", { error });
    logger.error(error);
    const [asMetadata, asEntry] = entries();
    expect(asMetadata.error).toMatchObject({ name: "Error", message: "database down", code: "ECONNREFUSED" });
    expect((asMetadata.error as { stack: string }).stack).toContain("logger.test.ts");
    expect(asEntry).toMatchObject({ severity: "ERROR", message: "database down", code: "ECONNREFUSED" });
  });

  it("prints a human-readable single line in pretty mode", () => {
    const { logger, output } = captureLogger({ pretty: true });
    logger.warn("slow provider", { provider: "strava", token: "tok-1" });
    expect(output()).toMatch(
      /^\d{4}-\d{2}-\d{2}T[\d:.]+Z WARNING {2}slow provider \{"provider":"strava","token":"\[REDACTED\]"\}\n$/,
    );
  });
});

describe("redaction inside the logger", () => {
  const SECRET = "hunter2-very-secret";

  it("redacts the message, metadata and child-logger fields of every entry", () => {
    const { logger, output } = captureLogger();
    const child = logger.child({ requestId: "r1", session: { cookie: SECRET } });
    child.info(`login by john.doe@example.com with Bearer ${SECRET}`, {
      body: { client_secret: SECRET, password: SECRET },
      headers: { Authorization: `Bearer ${SECRET}` },
    });
    const text = output();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("john.doe@example.com");
    expect(text).toContain("j***@e***.com");
    expect(JSON.parse(text)).toMatchObject({
      message: "login by j***@e***.com with Bearer [REDACTED]",
      session: { cookie: "[REDACTED]" },
      body: { client_secret: "[REDACTED]", password: "[REDACTED]" },
      headers: { Authorization: "[REDACTED]" },
    });
  });

  it("redacts an info object logged directly without modifying it", () => {
    const { logger, output } = captureLogger();
    const entry = { level: "info", message: "raw", access_token: SECRET };
    logger.log(entry);
    expect(output()).not.toContain(SECRET);
    expect(entry.access_token).toBe(SECRET);
  });
});

describe("log level", () => {
  it("defaults to info", () => {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    const logger = createLogger({ stream });
    logger.debug("hidden");
    logger.info("shown");
    expect(text.trim().split("\n").map((line) => JSON.parse(line).message)).toEqual(["shown"]);
  });

  it("drops entries below the configured level", () => {
    const { logger, entries } = captureLogger({ level: "warn" });
    logger.info("no");
    logger.notice("no");
    logger.warn("yes");
    logger.crit("yes too");
    expect(entries().map((entry) => entry.message)).toEqual(["yes", "yes too"]);
  });

  it("rejects an unknown level with a clear error", () => {
    expect(() => createLogger({ level: "verbose" as LogLevel })).toThrow(
      'Invalid log level "verbose": expected one of crit, error, warn, notice, info, debug',
    );
  });

  it("parses LOG_LEVEL values for the configuration, info when absent", () => {
    expect(logLevelSchema.parse(undefined)).toBe("info");
    expect(logLevelSchema.parse("debug")).toBe("debug");
    expect(logLevelSchema.safeParse("loud").success).toBe(false);
  });
});
