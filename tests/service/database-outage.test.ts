// Fault test: PostgreSQL stopped and restarted under load. While it is down every request that needs it
// is a 503 with Retry-After (a JSON-RPC error on /mcp, OAuth's temporarily_unavailable elsewhere), the
// outage is logged once per interval rather than once per request, and afterwards the service answers
// again without a restart and nothing written before the outage is lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember, postJson, registerPublicClient, type RegisteredClient } from "../support/oauth.js";
import { createAccount, postMcp, toolCall, type Account } from "../support/mcp.js";
import { startOwnCluster, type OwnCluster } from "../support/postgres-cluster.js";
import { startTestServer, type TestServer } from "../support/server.js";

let cluster: OwnCluster;
let server: TestServer;
let account: Account;
let client: RegisteredClient;

beforeAll(async () => {
  cluster = await startOwnCluster();
  server = await startTestServer({ DATABASE_URL: cluster.url });
  // Far above what the load sends: a 429 from a fast machine's burst would hide the recovery.
  account = await createAccount(server.pool, "outage", { key: { burstPerMinute: 1_000_000 } });
  client = await registerPublicClient(server);
  await createMember(server, "outage-member@example.com");
});
afterAll(async () => {
  await server?.close();
  await cluster?.remove();
});

interface Outcome {
  status: number;
  retryAfter: string | null;
  body: unknown;
}

async function outcome(response: Response): Promise<Outcome> {
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json().catch(() => undefined) };
}

const headers = () => ({ "x-api-key": account.apiKey });
const mcpCalls = () => [
  postMcp(server.url, toolCall("whoami"), headers()),
  postMcp(server.url, toolCall("get_connection_status"), headers()),
  postMcp(server.url, toolCall("list_api_keys"), headers()),
];

/** Sends load until stopped; every outcome is kept. */
function load(concurrency: number) {
  const outcomes: Outcome[] = [];
  let running = true;
  const workers = Array.from({ length: concurrency }, async () => {
    while (running) {
      const responses = await Promise.all(mcpCalls());
      outcomes.push(...(await Promise.all(responses.map(outcome))));
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

describe("database outage", () => {
  it("answers 503 with Retry-After while PostgreSQL is down, logs it once per interval, and recovers without a restart", async () => {
    // Warm: the credential is cached on this instance, so the outage must be noticed past the cache.
    for (const call of await Promise.all(mcpCalls())) expect(call.status).toBe(200);

    const before = load(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cluster.stop();
    await before.stop();

    const during = load(4);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await during.stop();
    const oauth = await Promise.all([
      outcome(await postJson(`${server.url}/oauth2/register`, { client_name: "x", redirect_uris: ["http://127.0.0.1:1/cb"], token_endpoint_auth_method: "none" })),
      outcome(await fetch(`${server.url}/oauth2/token`, {
        method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "r", client_id: client.client_id }),
      })),
    ]);

    expect(during.outcomes.length).toBeGreaterThan(20);
    for (const answer of during.outcomes) {
      expect(answer).toEqual({
        status: 503,
        retryAfter: "5",
        body: { jsonrpc: "2.0", error: { code: -32000, message: "Service Unavailable: the database cannot be reached, retry in 5 s" }, id: null },
      });
    }
    for (const answer of oauth) {
      expect(answer).toEqual({ status: 503, retryAfter: "5", body: { error: "temporarily_unavailable", error_description: expect.any(String) } });
    }
    expect((await fetch(`${server.url}/ready`)).status).toBe(503);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    await cluster.restart();
    let recovered = 0;
    for (let attempt = 0; attempt < 100 && recovered !== 200; attempt++) {
      recovered = (await postMcp(server.url, toolCall("whoami"), headers())).status;
      if (recovered !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(recovered).toBe(200);
    for (const call of await Promise.all(mcpCalls())) expect(call.status).toBe(200);

    // What existed before the outage is still there: the key, the user, the registered client.
    const keys = (await (await postMcp(server.url, toolCall("list_api_keys"), headers())).json()) as { result: { structuredContent: { keys: { prefix: string }[] } } };
    expect(keys.result.structuredContent.keys.map((key) => key.prefix)).toContain(account.apiKeyPrefix);
    const { rows } = await server.pool.query("SELECT 1 FROM oauth2_clients WHERE client_id = $1", [client.client_id]);
    expect(rows).toHaveLength(1);

    // Logged as an outage: a handful of lines, no stack traces, no "unhandled error".
    const logs = server.logs;
    const outageLines = logs.filter((line) => typeof line.message === "string" && line.message.startsWith("database "));
    expect(outageLines.length).toBeGreaterThanOrEqual(1);
    expect(outageLines.length).toBeLessThanOrEqual(3);
    expect(logs.filter((line) => line.message === "unhandled error" || line.message === "MCP request failed" || line.message === "tool failed")).toEqual([]);
    expect(JSON.stringify(logs)).not.toMatch(/\n\s+at /);
  });
});
