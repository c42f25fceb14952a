// One definition, two sides: the lines the running service writes (and the outbound-call helpers write)
// must satisfy the catalog of service/logging/events.ts AND the log-based metrics the stacks derive
// from it. Renaming an event field in the catalog, or writing a line that differs from it, fails here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitEvent, emitExternalApiCall, emitSecurityEvent, EVENT_NAMES, eventDefinition, EVENTS, type EventName } from "../../service/logging/events.js";
import { captureLogger } from "../support/log-capture.js";
import { createAccount, postMcp, toolCall } from "../support/mcp.js";
import { listOf, synthesizeAll, type Json } from "../support/infra/synth.js";
import { cloudRunEntry, extractedPath, matchesFilter, valueAt } from "../support/log-entries.js";
import { startTestServer, type TestServer } from "../support/server.js";

const SEVERITY: Record<string, string> = { info: "INFO", warn: "WARNING", notice: "NOTICE" };

let server: TestServer;
let lines: Record<string, unknown>[];

beforeAll(async () => {
  server = await startTestServer();
  const account = await createAccount(server.pool, "events", { key: { burstPerMinute: 5 } });
  const key = { "x-api-key": account.apiKey };
  await postMcp(server.url, toolCall("whoami"), key); // tool_call ok, credential cache miss
  await postMcp(server.url, toolCall("whoami"), key); // credential cache hit
  await postMcp(server.url, toolCall("no_such_tool"), key); // tool_call unknown_tool
  await postMcp(server.url, toolCall("get_connection_status", { provider: "myspace" }), key); // tool_call error
  await postMcp(server.url, toolCall("whoami"), key);
  expect((await postMcp(server.url, toolCall("whoami"), key)).status).toBe(429); // rate_limited
  await postMcp(server.url, toolCall("whoami"), { "x-api-key": `${account.apiKeyPrefix}_${"x".repeat(43)}` }); // auth_failure
  await fetch(`${server.url}/a2a`, { method: "POST" }); // a2a_request unauthenticated
  await fetch(`${server.url}/health`);
  await server.pool.query("SELECT pg_sleep(0.15)"); // db_slow_query, through the service's own pool

  // Events whose emitters are outbound provider clients, not in the service yet: written by the same
  // helpers those clients call.
  const outbound = captureLogger();
  emitExternalApiCall(outbound.logger, { provider: "strava", endpointKind: "activities", status: 200, latencyMs: 84.2 });
  emitExternalApiCall(outbound.logger, { provider: "garmin", endpointKind: "token", status: 503, latencyMs: 12 });
  emitEvent(outbound.logger, "provider_token_refresh", { provider: "fitbit", outcome: "failed", tenantBucket: "t03", latencyMs: 230 });
  emitSecurityEvent(outbound.logger, { type: "oauth.client_registered", target: "client-1" });
  lines = [...server.logs, ...outbound.entries()].filter((line) => typeof line.event === "string");
});

afterAll(() => server?.close());

const linesOf = (event: EventName) => lines.filter((line) => line.event === event);

describe("structured events as written", () => {
  it("every event of the catalog is written by the service or an outbound-call helper", () => {
    expect(new Set(lines.map((line) => line.event))).toEqual(new Set(EVENT_NAMES));
  });

  it("every line carries exactly its event's fields, valid, at its level (http_request at the access line's)", () => {
    for (const line of lines) {
      const definition = eventDefinition(line.event as EventName);
      const keys = Object.keys(definition.fields.shape);
      const fields = Object.fromEntries(keys.filter((key) => key in line).map((key) => [key, line[key]]));
      const parsed = definition.fields.safeParse(fields);
      expect(parsed.success, `${String(line.event)}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      if (line.event !== "http_request") expect(line.severity).toBe(SEVERITY[definition.level]);
    }
  });

  it("records the traffic the test made", () => {
    const outcomes = linesOf("tool_call").map((line) => [line.tool, line.outcome]);
    expect(outcomes).toEqual([["whoami", "ok"], ["whoami", "ok"], ["unknown", "unknown_tool"], ["get_connection_status", "error"], ["whoami", "ok"]]);
    expect(linesOf("rate_limited").map(({ scope, window }) => ({ scope, window }))).toEqual([{ scope: "api_key", window: "minute" }]);
    expect(linesOf("auth_failure").map(({ surface, reason }) => ({ surface, reason }))).toEqual([{ surface: "mcp", reason: "invalid_credential" }]);
    // Migrations at startup may be slow too.
    expect(linesOf("db_slow_query").map(({ pool, statement }) => ({ pool, statement }))).toContainEqual({ pool: "main", statement: "SELECT pg_sleep(0.15)" });
    expect(linesOf("http_request").map((line) => `${String(line.route)} ${String(line.statusClass)} ${String(line.credentialCache)}`)).toEqual([
      "mcp 2xx miss", ...Array(4).fill("mcp 2xx hit"), "mcp 4xx hit", "mcp 4xx none", "a2a 4xx none", "health 2xx none",
    ]);
    expect(linesOf("a2a_request").map(({ method, outcome }) => ({ method, outcome }))).toEqual([{ method: "unknown", outcome: "unauthenticated" }]);
    expect(linesOf("external_api_error").map((line) => line.failure)).toEqual(["server_error"]);
  });

  it("names tenants only by bucket", () => {
    const tenantIds = lines.flatMap((line) => Object.values(line)).filter((value) => typeof value === "string" && /^[0-9a-f-]{36}$/.test(value));
    expect(tenantIds).toEqual([]);
    for (const line of linesOf("tool_call")) expect(line.tenantBucket).toMatch(/^t(0\d|1[0-5])$/);
  });
});

describe("log-based metrics against the lines the service writes", () => {
  const stack = synthesizeAll().dev;
  const metrics = listOf(stack, "google_logging_metric");
  const entries = () => lines.map((line) => cloudRunEntry(line, "pierre-dev"));

  it("has a counter for every event and a distribution for every value field", () => {
    const selected = (metric: Json) => /jsonPayload\.event="(\w+)"/.exec(metric.filter)![1];
    const counters = metrics.filter((metric) => metric.metric_descriptor.value_type === "INT64").map(selected);
    expect(counters.sort()).toEqual([...EVENT_NAMES].sort());
    const distributions = metrics.filter((metric) => metric.value_extractor).map((metric) => `${selected(metric)}.${extractedPath(metric.value_extractor)}`);
    const values = EVENT_NAMES.flatMap((event) => EVENTS[event].values.map((field) => `${event}.jsonPayload.${field}`));
    expect(distributions.sort()).toEqual(values.sort());
  });

  it.each(metrics.map((metric) => [metric.name, metric]))("%s selects real lines and finds every label and value in them", (_name, metric) => {
    const matching = entries().filter((entry) => matchesFilter(entry, metric.filter));
    expect(matching.length).toBeGreaterThan(0);
    const declared = metric.metric_descriptor.labels.map((label: Json) => label.key);
    expect(Object.keys(metric.label_extractors ?? {}).sort()).toEqual([...declared].sort());
    for (const entry of matching) {
      for (const extractor of Object.values<string>(metric.label_extractors ?? {})) {
        expect(typeof valueAt(entry, extractedPath(extractor)), `${metric.name} ${extractor}`).toBe("string");
      }
      if (metric.value_extractor) expect(typeof valueAt(entry, extractedPath(metric.value_extractor))).toBe("number");
    }
  });

  it("selects nothing from another service's lines", () => {
    const foreign = lines.map((line) => cloudRunEntry(line, "someone-else"));
    for (const metric of metrics) expect(foreign.some((entry) => matchesFilter(entry, metric.filter))).toBe(false);
  });
});
