// SIGTERM / close(): stop accepting, let the request in flight finish, close the pool, exit.
import { connect, type Socket } from "node:net";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { freePort } from "../../service/free-port.js";
import { createApiKey } from "../../service/identity/api-keys.js";
import { createTenant } from "../../service/identity/tenants.js";
import { addMembership, createUser } from "../../service/identity/users.js";
import { migrate } from "../../service/db/migrate.js";
import { createTestDatabase } from "../support/database.js";
import { startScript } from "../support/process.js";
import { startTestServer } from "../support/server.js";

async function apiKeyFor(db: pg.Pool): Promise<string> {
  const tenant = await createTenant(db, { slug: "drain", name: "Drain" });
  const user = await createUser(db, { email: "drain@example.com", password: "drain-password-1" }, 4);
  await addMembership(db, { tenantId: tenant.id, userId: user.id });
  return (await createApiKey(db, { tenantId: tenant.id, userId: user.id, name: "drain" })).key;
}

const BODY = JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list" });

/** Sends a tools/list whose body arrives in two halves, so the request is in flight in between. */
function startSlowRequest(port: number, apiKey: string): { socket: Socket; finish: () => Promise<string> } {
  const socket = connect(port, "127.0.0.1");
  let response = "";
  socket.on("data", (chunk) => (response += chunk));
  const ended = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.write(
    `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-API-Key: ${apiKey}\r\nContent-Type: application/json\r\n` +
      `Accept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY.slice(0, 10)}`,
  );
  return {
    socket,
    finish: async () => {
      socket.write(BODY.slice(10));
      await ended;
      return response;
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("graceful shutdown", () => {
  it("close() refuses new connections but completes the request in flight, then closes the pool", async () => {
    const server = await startTestServer({ SHUTDOWN_GRACE_MS: "20000" });
    const key = await apiKeyFor(server.pool);
    const slow = startSlowRequest(server.port, key);
    await pause(200);

    const closed = server.close();
    await pause(100);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();

    const response = await slow.finish();
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('"tools":[');
    const drainStarted = Date.now();
    await closed;
    // Drained as soon as the response was sent, not by the grace-period deadline (20 s here).
    expect(Date.now() - drainStarted).toBeLessThan(2_000);
    expect(server.pool.totalCount).toBe(0);
  });

  it("the process drains on SIGTERM and exits 0", async () => {
    const databaseUrl = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    await migrate(pool);
    const key = await apiKeyFor(pool);
    await pool.end();

    const port = await freePort();
    const service = await startScript(
      "service/main.ts",
      { DATABASE_URL: databaseUrl, PORT: String(port), HOST: "127.0.0.1", SHUTDOWN_GRACE_MS: "5000", TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") },
      `http://127.0.0.1:${port}/health`,
    );
    const slow = startSlowRequest(port, key);
    await pause(300);
    service.child.kill("SIGTERM");
    await pause(200);
    const response = await slow.finish();
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(await service.exited).toBe(0);
    expect(service.output()).toMatch(/"message":"stopped"/);
  });
});
