// Traces of real requests: the server span continues the caller's trace, tool and SQL spans hang under
// it, and every log line of the request names the trace and the span, so Cloud Logging links both ways.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTracing, type Tracing } from "../../service/tracing/sdk.js";
import { tracer } from "../../service/tracing/spans.js";
import { createAccount, postMcp, toolCall } from "../support/mcp.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { CollectingExporter } from "../support/spans.js";

const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

let server: TestServer;
let tracing: Tracing;
const exporter = new CollectingExporter();
const warnings: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ TRACE_SAMPLE_RATIO: "1" });
  tracing = startTracing({ sampleRatio: 1, exporter, log: { warn: (message) => warnings.push(message) } });
  const account = await createAccount(server.pool, "traced");
  const traceparent = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;
  expect((await postMcp(server.url, toolCall("get_connection_status"), { "x-api-key": account.apiKey, traceparent })).status).toBe(200);
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
  await server.close();
  await tracing.shutdown();
});

afterAll(async () => {
  await server?.close();
  await tracing?.shutdown();
});

const spansOf = (traceId: string) => exporter.spans.filter((span) => span.spanContext().traceId === traceId);
const parentOf = (span: (typeof exporter.spans)[number]) => span.parentSpanContext?.spanId;

describe("request traces", () => {
  it("continues the caller's trace with a server span, a tool span under it, and SQL spans under those", () => {
    const spans = spansOf(CALLER_TRACE);
    const request = spans.find((span) => span.name === "POST mcp")!;
    expect(request).toBeDefined();
    expect(parentOf(request)).toBe(CALLER_SPAN);
    expect(request.attributes["http.response.status_code"]).toBe(200);

    const tool = spans.find((span) => span.name === "tool get_connection_status")!;
    expect(parentOf(tool)).toBe(request.spanContext().spanId);
    const sql = spans.filter((span) => span.name.startsWith("sql "));
    // Authentication and the rate-limit charge under the request, the tool's own query under the tool.
    expect(sql.filter((span) => parentOf(span) === request.spanContext().spanId).length).toBeGreaterThan(0);
    const toolQueries = sql.filter((span) => parentOf(span) === tool.spanContext().spanId);
    // listConnections (fitness/connections.ts); its column list fills the recorded text before the FROM.
    expect(toolQueries.map((span) => span.attributes["db.query.text"])).toEqual([expect.stringMatching(/^SELECT c\.id, c\.tenant_id AS "tenantId"/)]);
    expect(JSON.stringify(sql.map((span) => span.attributes))).not.toContain("pk_");
  });

  it("starts a new trace for a request without trace headers", () => {
    const health = exporter.spans.find((span) => span.name === "GET health")!;
    expect(health.spanContext().traceId).not.toBe(CALLER_TRACE);
    expect(parentOf(health)).toBeUndefined();
  });

  it("writes the request's trace and span into every log line of the request", () => {
    const request = spansOf(CALLER_TRACE).find((span) => span.name === "POST mcp")!;
    const lines = server.logs.filter((line) => line["logging.googleapis.com/trace"] === CALLER_TRACE);
    // The access line and the request's event lines (cache lookup, tool call).
    expect(lines.map((line) => line.event).sort()).toEqual(["http_request", "tool_call"]);
    for (const line of lines) {
      expect(line["logging.googleapis.com/spanId"]).toBe(request.spanContext().spanId);
      expect(line["logging.googleapis.com/trace_sampled"]).toBe(true);
    }
    const health = exporter.spans.find((span) => span.name === "GET health")!;
    const healthLine = server.logs.find((line) => line.route === "health")!;
    expect(healthLine["logging.googleapis.com/trace"]).toBe(health.spanContext().traceId);
  });
});

describe("export failures", () => {
  it("are reported as warnings and never fail the shutdown", async () => {
    const reported: string[] = [];
    const failing = { export: (_spans: unknown, done: (result: { code: number; error: Error }) => void) => done({ code: 1, error: new Error("unreachable") }), shutdown: async () => {} };
    const failingTracing = startTracing({ sampleRatio: 1, exporter: failing, log: { warn: (message) => reported.push(message) } });
    tracer().startSpan("doomed").end();
    await expect(failingTracing.shutdown()).resolves.toBeUndefined();
    expect(reported.some((message) => message.startsWith("tracing: "))).toBe(true);
  });
});
