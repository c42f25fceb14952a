// POST /mcp skips Express (app.ts, http/node-http.ts). The same endpoint stays mounted in Express, which
// routes /mcp/ (trailing slash) to it, so each request here is sent both ways and the answers compared:
// whatever Express's own request and response gave the front middlewares (security headers, CORS, request
// id, access log, client address behind our proxies) the fast path must give too.
import type { AddressInfo } from "node:net";
import { createServer, type IncomingMessage } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress } from "../../service/http/node-http.js";
import { createAccount, MCP_HEADERS, toolCall, type Account } from "../support/mcp.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let account: Account;

beforeAll(async () => {
  // One proxy hop trusted, as on Cloud Run; tracing on, so its middleware is on both paths too.
  server = await startTestServer({ TRUST_PROXY_HOPS: "1", TRACE_SAMPLE_RATIO: "1" });
  account = await createAccount(server.pool, "fast-path");
});
afterAll(() => server.close());

// Differ per response by nature: when, which request, how much quota is left.
const PER_RESPONSE = new Set(["date", "x-request-id", "ratelimit", "keep-alive"]);

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function post(path: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, { method: "POST", headers, body });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

/** The same request to /mcp (fast path) and /mcp/ (Express); both answers, after checking they are the same. */
async function bothWays(body: string, headers: Record<string, string>): Promise<Answer> {
  const fast = await post("/mcp", body, headers);
  const routed = await post("/mcp/", body, headers);
  expect(fast.status).toBe(routed.status);
  expect(Object.keys(fast.headers).sort()).toEqual(Object.keys(routed.headers).sort());
  for (const [name, value] of Object.entries(fast.headers)) if (!PER_RESPONSE.has(name)) expect(value, name).toBe(routed.headers[name]);
  expect(fast.body).toBe(routed.body);
  return fast;
}

describe("POST /mcp without Express", () => {
  it("answers tool calls, refusals and protocol errors exactly as the Express route does", async () => {
    const key = { "x-api-key": account.apiKey };
    const browser = { origin: server.url };
    const call = JSON.stringify(toolCall("get_connection_status"));
    expect((await bothWays(call, { ...MCP_HEADERS, ...key, ...browser })).status).toBe(200);
    expect((await bothWays(call, { ...MCP_HEADERS, ...browser })).status).toBe(401);
    expect((await bothWays(call, { ...MCP_HEADERS, ...key, origin: "https://evil.example" })).status).toBe(403);
    expect((await bothWays("{not json", { ...MCP_HEADERS, ...key })).status).toBe(400);
    expect((await bothWays(call, { ...MCP_HEADERS, ...key, "content-type": "text/plain" })).status).toBe(415);
    expect((await bothWays(call, { ...MCP_HEADERS, ...key, accept: "application/json" })).status).toBe(406);
    const notification = JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" });
    expect((await bothWays(notification, { ...MCP_HEADERS, ...key })).status).toBe(202);

    const answered = await post("/mcp", call, { ...MCP_HEADERS, ...key, ...browser });
    expect(answered.headers["access-control-allow-origin"]).toBe(server.url);
    expect(answered.headers["access-control-expose-headers"]).toMatch(/RateLimit/);
    expect(answered.headers["x-content-type-options"]).toBe("nosniff");
    expect(answered.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(answered.headers.ratelimit).toMatch(/;r=\d+;t=\d+/);
  });

  it("logs one access line per request, with the client address and the caller's trace, as through Express", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const headers = {
      ...MCP_HEADERS,
      "x-api-key": account.apiKey,
      "x-forwarded-for": "203.0.113.9, 198.51.100.4",
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    };
    const requestIds: string[] = [];
    for (const path of ["/mcp", "/mcp/"]) {
      const response = await fetch(`${server.url}${path}`, { method: "POST", headers, body: JSON.stringify(toolCall("whoami")) });
      requestIds.push(response.headers.get("x-request-id")!);
    }
    const lines = requestIds.map((id) =>
      server.logs.filter((line) => (line["logging.googleapis.com/labels"] as { requestId?: string } | undefined)?.requestId === id && "httpRequest" in line),
    );
    expect(lines.map((found) => found.length)).toEqual([1, 1]);
    const [fast, routed] = lines.map((found) => found[0]!);
    // One trusted hop: the proxy's peer (loopback here) vouches for 198.51.100.4 only.
    expect((fast!.httpRequest as { remoteIp: string }).remoteIp).toBe("198.51.100.4");
    expect((fast!.httpRequest as { remoteIp: string }).remoteIp).toBe((routed!.httpRequest as { remoteIp: string }).remoteIp);
    expect(fast).toMatchObject({ severity: "INFO", event: "http_request", route: "mcp", credentialCache: expect.stringMatching(/hit|miss/) });
    expect(routed).toMatchObject({ severity: "INFO", event: "http_request", credentialCache: fast!.credentialCache });
    for (const line of [fast, routed]) expect(line!["logging.googleapis.com/trace"]).toBe(traceId);
  });
});

describe("clientAddress", () => {
  it("is Express's req.ip for every trusted hop count and X-Forwarded-For shape", async () => {
    const forwardedFor = [undefined, "203.0.113.9", "203.0.113.9, 198.51.100.4", " 203.0.113.9 ,, 198.51.100.4,10.0.0.1 ", ""];
    for (const hops of [0, 1, 2, 5]) {
      const app = express().set("trust proxy", hops);
      app.get("/", (req, res) => res.json({ express: req.ip ?? null, ours: clientAddress(req as IncomingMessage, hops) ?? null }));
      const listener = createServer(app).listen(0, "127.0.0.1");
      await new Promise((resolve) => listener.once("listening", resolve));
      try {
        const { port } = listener.address() as AddressInfo;
        for (const header of forwardedFor) {
          const response = await fetch(`http://127.0.0.1:${port}/`, { headers: header === undefined ? {} : { "x-forwarded-for": header } });
          const { express: expected, ours } = (await response.json()) as { express: string | null; ours: string | null };
          expect(ours, `hops ${hops}, X-Forwarded-For ${JSON.stringify(header)}`).toBe(expected);
        }
      } finally {
        await new Promise((resolve) => listener.close(resolve));
      }
    }
  });
});
