import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Makes the test database refuse connections and drops the open ones, as an outage would. */
async function setDatabaseReachable(reachable: boolean): Promise<void> {
  const admin = new pg.Client(inject("postgresAdminUrl"));
  await admin.connect();
  try {
    const name = new URL(server.config.database.url!).pathname.slice(1);
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${reachable}`);
    if (!reachable) await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
  } finally {
    await admin.end();
  }
}

describe("health and readiness", () => {
  it("GET /health answers ok with security headers and a request id", async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-powered-by")).toBeNull();
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("GET /ready follows the database: 503 while it is down, 200 again when it returns", async () => {
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    await setDatabaseReachable(false);
    try {
      const down = await fetch(`${server.url}/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: "unavailable" });
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await setDatabaseReachable(true);
    }
    const up = await fetch(`${server.url}/ready`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: "ready" });
  });

  it("unknown paths get a JSON 404, never an HTML page", async () => {
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found", error_description: "no such endpoint" });
  });

  it("answers CORS preflights for MCP headers without authentication", async () => {
    const response = await fetch(`${server.url}/mcp`, {
      method: "OPTIONS",
      headers: { origin: "https://client.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization, mcp-protocol-version" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-headers")).toMatch(/Mcp-Protocol-Version/);
    expect(response.headers.get("access-control-expose-headers")).toMatch(/WWW-Authenticate/);
  });

  it("writes one structured access log line per request", async () => {
    const before = server.logs.length;
    await fetch(`${server.url}/health`, { headers: { "x-request-id": "health-check-1" } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = server.logs.slice(before).filter((line) => line.httpRequest);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ severity: "INFO", httpRequest: { requestMethod: "GET", status: 200 } });
  });
});
