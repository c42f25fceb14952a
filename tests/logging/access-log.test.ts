// The access-log middleware in a real Express 5 app on 127.0.0.1, called over real sockets.
import { request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import express, { type ErrorRequestHandler } from "express";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accessLog } from "../../service/logging/index.js";
import { captureLogger, type CapturedLogger } from "../support/log-capture.js";

const BEARER_SECRET = "at-7c1f0e9b2d4a48e6b3f5";
const QUERY_SECRET = "qs-91d2c3b4a5f6e7d8";
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LATENCY = /^\d+\.\d{9}s$/;
const HANDLER_DELAY_MS = 40;

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let capture: CapturedLogger;
let server: Server;
let port: number;
let hangingRequestArrived: () => void;

beforeEach(async () => {
  capture = captureLogger({ projectId: "pierre-test" });
  const app = express();
  app.use(accessLog(capture.logger, 0));
  app.get("/activities", (req, res) => {
    res.locals.log.info("listing activities", { headers: req.headers });
    res.json({ activities: [], requestId: res.locals.requestId });
  });
  app.get("/slow", async (_req, res) => {
    await sleep(HANDLER_DELAY_MS);
    res.send("done");
  });
  app.get("/boom", () => {
    throw new Error("handler failed");
  });
  app.get("/hang", () => hangingRequestArrived());
  const handleError: ErrorRequestHandler = (_error, _req, res, _next) => {
    res.status(500).json({ error: "server_error" });
  };
  app.use(handleError);
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
});

async function stopServer(): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

afterEach(stopServer);

function send(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function accessLines(): Record<string, unknown>[] {
  return capture.entries().filter((entry) => "httpRequest" in entry);
}

/** Waits for `count` access lines, then for the server to go quiet, and returns every line written. */
async function settledAccessLines(count: number): Promise<Record<string, unknown>[]> {
  await vi.waitFor(() => expect(accessLines().length).toBeGreaterThanOrEqual(count));
  await stopServer();
  await new Promise((resolve) => setImmediate(resolve));
  return accessLines();
}

describe("accessLog", () => {
  it("writes exactly one access line per request with Cloud Logging httpRequest fields", async () => {
    const ok = await send("/activities?limit=5", { "User-Agent": "pierre-test/1.0", Referer: "https://claude.ai/" });
    const missing = await send("/nowhere");
    const failed = await send("/boom");

    const lines = await settledAccessLines(3);
    expect(lines).toHaveLength(3);
    const [okLine, missingLine, failedLine] = lines;

    expect(okLine).toMatchObject({
      severity: "INFO",
      message: "GET /activities?limit=5 200",
      httpRequest: {
        requestMethod: "GET",
        requestUrl: "/activities?limit=5",
        status: 200,
        responseSize: String(Buffer.byteLength(ok.body)),
        userAgent: "pierre-test/1.0",
        referer: "https://claude.ai/",
        remoteIp: "127.0.0.1",
        protocol: "HTTP/1.1",
        latency: expect.stringMatching(LATENCY),
      },
      "logging.googleapis.com/labels": { requestId: ok.headers["x-request-id"] },
    });
    expect(missing.status).toBe(404);
    expect(missingLine).toMatchObject({ severity: "WARNING", httpRequest: { requestUrl: "/nowhere", status: 404 } });
    expect(failed.status).toBe(500);
    expect(failedLine).toMatchObject({ severity: "ERROR", httpRequest: { requestUrl: "/boom", status: 500 } });
  });

  it("measures latency over the whole request", async () => {
    await send("/slow");
    const [line] = await settledAccessLines(1);
    const latency = (line.httpRequest as { latency: string }).latency;
    expect(Number.parseFloat(latency)).toBeGreaterThanOrEqual(HANDLER_DELAY_MS / 1000);
  });

  it("echoes a valid X-Request-Id and replaces an invalid or missing one with a UUID", async () => {
    const echoed = await send("/activities", { "X-Request-Id": "client-req.42_a" });
    const invalid = await send("/activities", { "X-Request-Id": "bad id; with spaces" });
    const tooLong = await send("/activities", { "X-Request-Id": "a".repeat(129) });
    const missingA = await send("/activities");
    const missingB = await send("/activities");

    expect(echoed.headers["x-request-id"]).toBe("client-req.42_a");
    expect(JSON.parse(echoed.body).requestId).toBe("client-req.42_a");
    for (const response of [invalid, tooLong, missingA, missingB]) {
      expect(response.headers["x-request-id"]).toMatch(UUID);
    }
    expect(missingA.headers["x-request-id"]).not.toBe(missingB.headers["x-request-id"]);

    const lines = await settledAccessLines(5);
    expect(lines.map((line) => (line["logging.googleapis.com/labels"] as { requestId: string }).requestId)).toEqual(
      [echoed, invalid, tooLong, missingA, missingB].map((response) => response.headers["x-request-id"]),
    );
  });

  it("gives handlers res.locals.log, whose lines carry the request's trace and request id", async () => {
    const response = await send("/activities", {
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      "X-Request-Id": "req-trace-1",
    });
    expect(response.status).toBe(200);
    await settledAccessLines(1);

    const [handlerLine, accessLine] = capture.entries();
    const correlation = {
      "logging.googleapis.com/trace": `projects/pierre-test/traces/${TRACE_ID}`,
      "logging.googleapis.com/spanId": "00f067aa0ba902b7",
      "logging.googleapis.com/trace_sampled": true,
      "logging.googleapis.com/labels": { requestId: "req-trace-1" },
    };
    expect(handlerLine).toMatchObject({ message: "listing activities", ...correlation });
    expect(accessLine).toMatchObject({ message: "GET /activities 200", ...correlation });
  });

  it("never writes the Authorization header or credential query parameters", async () => {
    await send(`/activities?access_token=${QUERY_SECRET}&code=${QUERY_SECRET}&state=visible-state`, {
      Authorization: `Bearer ${BEARER_SECRET}`,
      Cookie: `session=${BEARER_SECRET}`,
    });
    const [accessLine] = await settledAccessLines(1);

    const output = capture.output();
    expect(output).not.toContain(BEARER_SECRET);
    expect(output).not.toContain(QUERY_SECRET);
    // The handler logged every request header; they are there, redacted.
    const handlerLine = capture.entries().find((entry) => entry.message === "listing activities");
    expect(handlerLine?.headers).toMatchObject({ authorization: "[REDACTED]", cookie: "[REDACTED]" });
    expect((accessLine.httpRequest as { requestUrl: string }).requestUrl).toBe(
      "/activities?access_token=[REDACTED]&code=[REDACTED]&state=visible-state",
    );
  });

  it("logs a request the client abandons once, as aborted, without a status", async () => {
    const arrived = new Promise<void>((resolve) => (hangingRequestArrived = resolve));
    const req = httpRequest({ host: "127.0.0.1", port, path: "/hang", agent: false });
    const clientError = new Promise((resolve) => req.on("error", resolve));
    req.end();
    await arrived;
    req.destroy();
    await clientError;

    const lines = await settledAccessLines(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ severity: "WARNING", message: "GET /hang aborted", aborted: true });
    expect(lines[0].httpRequest).not.toHaveProperty("status");
  });
});
