import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { createApiKey, revokeApiKey } from "../../service/identity/api-keys.js";
import { addMembership } from "../../service/identity/users.js";
import { createToolCatalog, PIERRE_TOOLS } from "../../service/mcp/tools/index.js";

// Alice is pro: tools/list shows the pro tier's tools (tier gating itself: tests/training/tiers.test.ts).
const PRO_TOOLS = createToolCatalog(PIERRE_TOOLS).list("pro").tools;
const READS_PROVIDER_DATA = new Set(["get_activities", "get_athlete", "get_stats", "get_sleep"]);
import { startTestServer, type TestServer } from "../support/server.js";
import { callTool as callToolAt, createAccount, postMcp, toolCall, type Account } from "../support/mcp.js";

let server: TestServer;
let alice: Account; // tenant "alpha", pro
let bob: Account; // tenant "bravo", free

beforeAll(async () => {
  server = await startTestServer();
  alice = await createAccount(server.pool, "alpha", { tenantTier: "pro", userTier: "pro" });
  bob = await createAccount(server.pool, "bravo");
});
afterAll(() => server.close());

async function connectClient(headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: "pierre-tests", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers } });
  await client.connect(transport);
  return client;
}

async function jsonRpcResult(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as { id: number; result?: Record<string, unknown>; error?: { code: number; message: string } };
}

const callTool = (apiKey: string, name: string, args: Record<string, unknown> = {}) => callToolAt(server.url, apiKey, name, args);

describe("MCP endpoint with the SDK client", () => {
  it("initializes, lists tools with schemas and annotations, and returns structuredContent matching outputSchema", async () => {
    const client = await connectClient({ "X-API-Key": alice.apiKey });
    try {
      expect(client.getServerVersion()).toEqual({ name: "pierre", version: packageJson.version });
      expect(client.getServerCapabilities()?.tools).toBeDefined();

      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(PRO_TOOLS.map((tool) => tool.name).sort());
      for (const tool of tools) {
        expect(tool.title).toBeTruthy();
        expect(tool.description).toBeTruthy();
        expect(typeof tool.annotations?.readOnlyHint).toBe("boolean");
        expect(tool.inputSchema.type).toBe("object");
        expect(tool.outputSchema).toMatchObject({ type: "object", additionalProperties: false });
      }

      const validator = new AjvJsonSchemaValidator();
      // Every read-only tool answers an empty call (the account has no data yet) within its output schema.
      for (const tool of tools.filter((t) => t.annotations?.readOnlyHint && !t.inputSchema.required?.length)) {
        const result = await client.callTool({ name: tool.name, arguments: {} });
        // The provider data tools say what to do first instead (tests/fitness covers them connected).
        if (READS_PROVIDER_DATA.has(tool.name)) {
          expect(result).toMatchObject({ isError: true, content: [{ type: "text", text: expect.stringMatching(/connect_provider/) }] });
          continue;
        }
        expect(result.isError, `${tool.name}: ${JSON.stringify(result.content)}`).toBeFalsy();
        expect(validator.getValidator(tool.outputSchema!)(result.structuredContent)).toMatchObject({ valid: true });
        // The text block carries the same JSON, for clients that ignore structuredContent.
        expect(JSON.parse((result.content as { text: string }[])[0].text)).toEqual(result.structuredContent);
      }

      const whoami = await client.callTool({ name: "whoami", arguments: {} });
      expect(whoami.structuredContent).toMatchObject({
        userId: alice.user.id,
        email: "alpha@example.com",
        role: "owner",
        tenant: { id: alice.tenant.id, slug: "alpha", name: "Tenant alpha", tier: "pro" },
        tier: "pro",
        authMethod: "api_key",
        scopes: ["fitness:read", "fitness:write"],
      });
      const limits = (whoami.structuredContent as { limits: { scope: string; window: string; limit: number; used: number | null }[] }).limits;
      expect(limits.map(({ scope, window, limit }) => ({ scope, window, limit }))).toEqual([
        { scope: "api_key", window: "minute", limit: 500 },
        { scope: "api_key", window: "month", limit: 100_000 },
        { scope: "tenant", window: "month", limit: 100_000 },
      ]);
      for (const limit of limits) expect(limit.used).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it("speaks 2025-06-18 too", async () => {
    const init = await postMcp(
      server.url,
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } },
      { "x-api-key": alice.apiKey, "mcp-protocol-version": "2025-06-18" },
    );
    expect((await jsonRpcResult(init)).result).toMatchObject({ protocolVersion: "2025-06-18", serverInfo: { name: "pierre" } });
    const list = await postMcp(server.url, { jsonrpc: "2.0", id: 2, method: "tools/list" }, { "x-api-key": alice.apiKey, "mcp-protocol-version": "2025-06-18" });
    expect(((await jsonRpcResult(list)).result as { tools: unknown[] }).tools).toHaveLength(PRO_TOOLS.length);
  });
});

describe("MCP authentication", () => {
  const challenge = () =>
    `Bearer resource_metadata="${server.config.publicBaseUrl}/.well-known/oauth-protected-resource/mcp", scope="fitness:read fitness:write"`;

  it("answers 401 with the resource metadata challenge when no credentials are sent", async () => {
    const response = await postMcp(server.url, toolCall("whoami"));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(challenge());
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 }, id: null });
  });

  it("answers 401 invalid_token for unknown, malformed and revoked credentials", async () => {
    const unknownKey = `${alice.apiKeyPrefix}_${"x".repeat(43)}`;
    const badCredentials: Record<string, string>[] = [
      { "x-api-key": unknownKey },
      { authorization: `Bearer ${unknownKey}` },
      { authorization: "Bearer not-a-jwt" },
      { authorization: "Basic Zm9vOmJhcg==" },
    ];
    for (const headers of badCredentials) {
      const response = await postMcp(server.url, toolCall("whoami"), headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe(`${challenge()}, error="invalid_token"`);
    }

    const carol = await createAccount(server.pool, "charlie");
    expect((await postMcp(server.url, toolCall("whoami"), { authorization: `Bearer ${carol.apiKey}` })).status).toBe(200);
    expect(await revokeApiKey(server.pool, carol.tenant.id, carol.apiKeyPrefix)).toBe(true);
    const revoked = await postMcp(server.url, toolCall("whoami"), { authorization: `Bearer ${carol.apiKey}` });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get("www-authenticate")).toBe(`${challenge()}, error="invalid_token"`);
  });

  it("lets CORS preflights through without credentials", async () => {
    const response = await fetch(`${server.url}/mcp`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, mcp-protocol-version" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
  });
});

describe("MCP transport rules", () => {
  const auth = () => ({ "x-api-key": alice.apiKey });

  it("refuses a foreign Origin with 403 and accepts its own and loopback origins", async () => {
    const foreign = await postMcp(server.url, toolCall("whoami"), { ...auth(), origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 }, id: null });
    expect((await postMcp(server.url, toolCall("whoami"), { ...auth(), origin: "null" })).status).toBe(403);
    // The test server's publicBaseUrl is http://127.0.0.1:<port>: its own origin and (loopback) others pass.
    expect((await postMcp(server.url, toolCall("whoami"), { ...auth(), origin: server.config.publicBaseUrl })).status).toBe(200);
    expect((await postMcp(server.url, toolCall("whoami"), { ...auth(), origin: "http://localhost:6274" })).status).toBe(200);
  });

  it("accepts only the protocol versions the SDK negotiates", async () => {
    for (const version of ["2025-11-25", "2025-06-18", "2025-03-26"]) {
      expect((await postMcp(server.url, toolCall("whoami"), { ...auth(), "mcp-protocol-version": version })).status).toBe(200);
    }
    const response = await postMcp(server.url, toolCall("whoami"), { ...auth(), "mcp-protocol-version": "2099-01-01" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000, message: expect.stringMatching(/unsupported MCP-Protocol-Version/) }, id: null });
  });

  it("answers malformed JSON with a JSON-RPC parse error and non-JSON-RPC with invalid request", async () => {
    const malformed = await postMcp(server.url, '{"jsonrpc": "2.0", "id": 1, "method": ', auth());
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ jsonrpc: "2.0", error: { code: -32700, message: expect.any(String) }, id: null });

    for (const body of [{ hello: "world" }, [], 42, { jsonrpc: "1.0", id: 1, method: "tools/list" }]) {
      const invalid = await postMcp(server.url, body, auth());
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toEqual({ jsonrpc: "2.0", error: { code: -32600, message: expect.any(String) }, id: null });
    }

    const notJson = await postMcp(server.url, "hello", { ...auth(), "content-type": "text/plain" });
    expect(notJson.status).toBe(415);
  });

  it("refuses a body over the configured limit with 413", async () => {
    const big = toolCall("get_connection_status", { padding: "x".repeat(server.config.bodyLimitBytes) });
    const response = await postMcp(server.url, big, auth());
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 }, id: null });
  });

  it("answers GET and DELETE with 405 and Allow: POST; the GET every client sends for a stream is logged as routine", async () => {
    const severities: Record<string, unknown> = {};
    for (const method of ["GET", "DELETE"]) {
      const requestId = `405-${method.toLowerCase()}-${Date.now()}`;
      const response = await fetch(`${server.url}/mcp`, { method, headers: { ...auth(), accept: "text/event-stream", "x-request-id": requestId } });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      await response.text();
      const accessLine = () => server.logs.find((line) => (line["logging.googleapis.com/labels"] as { requestId?: string } | undefined)?.requestId === requestId && line.event === "http_request");
      // The access line is written when the response closes, a turn or two after the client has it.
      for (let turn = 0; turn < 100 && !accessLine(); turn++) await new Promise((resolve) => setImmediate(resolve));
      severities[method] = accessLine()?.severity;
    }
    expect(severities).toEqual({ GET: "INFO", DELETE: "WARNING" });
  });

  it("reports an unknown tool as a JSON-RPC error and bad arguments as a tool error, never a 500", async () => {
    const unknown = await jsonRpcResult(await postMcp(server.url, toolCall("no_such_tool"), auth()));
    expect(unknown.error).toEqual({ code: -32602, message: "Unknown tool: no_such_tool" });

    const badArgs = await callTool(alice.apiKey, "get_connection_status", { provider: "myspace" });
    expect(badArgs.isError).toBe(true);
    expect(badArgs.content[0].text).toMatch(/Invalid arguments for get_connection_status/);
    const extraArgs = await callTool(alice.apiKey, "whoami", { verbose: true });
    expect(extraArgs.isError).toBe(true);

    const unknownMethod = await jsonRpcResult(await postMcp(server.url, { jsonrpc: "2.0", id: 7, method: "completion/complete" }, auth()));
    expect(unknownMethod.error?.code).toBe(-32601);
  });

  it.each([
    ["a name that is not a string", { name: 5, arguments: {} }, "params.name"],
    ["arguments as an array", { name: "whoami", arguments: [] }, "params.arguments"],
    ["arguments as a string", { name: "whoami", arguments: "{}" }, "params.arguments"],
    ["arguments as null", { name: "whoami", arguments: null }, "params.arguments"],
    ["a NUL in an argument", { name: "get_connection_status", arguments: { provider: "strava\u0000" } }, "params.arguments.provider"],
    ["an unpaired surrogate in an argument", { name: "get_connection_status", arguments: { provider: "\ud800" } }, "params.arguments.provider"],
  ])("answers tools/call with %s as invalid params (-32602) with a short message", async (_case, params, path) => {
    const answer = await jsonRpcResult(await postMcp(server.url, { jsonrpc: "2.0", id: 41, method: "tools/call", params }, auth()));
    expect(answer.id).toBe(41);
    expect(answer.error?.code).toBe(-32602);
    expect(answer.error?.message).toMatch(new RegExp(`^Invalid params for tools/call: ${path.replace(/\./g, "\\.")}`));
    expect(answer.error!.message.length).toBeLessThan(200);
  });

  it("answers a batch's malformed request with -32602 in its place, and the others normally", async () => {
    const batch = [toolCall("whoami"), { jsonrpc: "2.0", id: "bad", method: "tools/call", params: { name: 5 } }, { jsonrpc: "2.0", id: "list", method: "tools/list" }];
    const answers = (await (await postMcp(server.url, batch, auth())).json()) as { id: unknown; result?: unknown; error?: { code: number } }[];
    expect(answers.map((answer) => answer.id)).toEqual([batch[0].id, "bad", "list"]);
    expect(answers[0].result).toBeDefined();
    expect(answers[1].error?.code).toBe(-32602);
    expect(answers[2].result).toBeDefined();
  });

  it("answers notifications with 202", async () => {
    const response = await postMcp(server.url, { jsonrpc: "2.0", method: "notifications/initialized" }, auth());
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
  });

  it("answers a batch with the answers to its requests, in order, and refuses oversized or multi-initialize batches", async () => {
    const batch = [toolCall("whoami"), { jsonrpc: "2.0", method: "notifications/initialized" }, { jsonrpc: "2.0", id: "list", method: "tools/list" }];
    const answers = (await (await postMcp(server.url, batch, auth())).json()) as { id: unknown; result: Record<string, unknown> }[];
    expect(answers.map((answer) => answer.id)).toEqual([batch[0].id, "list"]);
    expect(answers[0].result.structuredContent).toMatchObject({ userId: alice.user.id });
    expect(answers[1].result.tools).toHaveLength(PRO_TOOLS.length);

    const initialize = (id: number) => ({ jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
    for (const [body, message] of [
      [Array.from({ length: 101 }, () => toolCall("whoami")), /Batch must not exceed 100 messages/],
      [[initialize(1), initialize(2)], /Only one initialization request/],
    ] as const) {
      const refused = await postMcp(server.url, body, auth());
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({ jsonrpc: "2.0", error: { code: -32600, message: expect.stringMatching(message) }, id: null });
    }
  });

  it("requires an Accept header listing both JSON and SSE (406)", async () => {
    for (const accept of ["application/json", "text/event-stream", "*/*"]) {
      const response = await postMcp(server.url, toolCall("whoami"), { ...auth(), accept });
      expect(response.status).toBe(406);
      expect(await response.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000, message: expect.stringMatching(/Not Acceptable/) }, id: null });
    }
  });
});

describe("tenant isolation", () => {
  beforeAll(async () => {
    // Same provider in both tenants, different states: each caller must only see its own row.
    await server.pool.query(
      `INSERT INTO provider_connections (tenant_id, user_id, provider, status, connected_at, last_sync_at)
       VALUES ($1, $2, 'strava', 'connected', '2026-01-02T03:04:05Z', '2026-01-03T00:00:00Z'),
              ($3, $4, 'strava', 'error', '2025-05-05T05:05:05Z', NULL),
              ($3, $4, 'garmin', 'connected', '2025-06-06T06:06:06Z', NULL)`,
      [alice.tenant.id, alice.user.id, bob.tenant.id, bob.user.id],
    );
  });

  it("shows each caller only the connections of its own tenant and user", async () => {
    const aliceView = await callTool(alice.apiKey, "get_connection_status");
    expect(aliceView.structuredContent).toEqual({
      // No real provider is configured on this server; the synthetic athlete always is.
      connections: [
        { provider: "strava", status: "connected", available: false, connectedAt: "2026-01-02T03:04:05.000Z", lastSyncAt: "2026-01-03T00:00:00.000Z", note: null },
        { provider: "fitbit", status: "not_connected", available: false, connectedAt: null, lastSyncAt: null, note: null },
        { provider: "garmin", status: "not_connected", available: false, connectedAt: null, lastSyncAt: null, note: null },
        { provider: "synthetic", status: "not_connected", available: true, connectedAt: null, lastSyncAt: null, note: null },
      ],
    });
    const bobView = await callTool(bob.apiKey, "get_connection_status", { provider: "strava" });
    expect(bobView.structuredContent).toEqual({
      connections: [{ provider: "strava", status: "error", available: false, connectedAt: "2025-05-05T05:05:05.000Z", lastSyncAt: null, note: "the last sync failed" }],
    });
  });

  it("scopes a user who belongs to two tenants by the tenant of the credential", async () => {
    // Alice also joins bravo, with a key there: through it she sees bravo's (empty) data for herself,
    // never Bob's rows, and never alpha's.
    await addMembership(server.pool, { tenantId: bob.tenant.id, userId: alice.user.id });
    const { key } = await createApiKey(server.pool, { tenantId: bob.tenant.id, userId: alice.user.id, name: "alice in bravo" });

    const status = await callTool(key, "get_connection_status");
    expect((status.structuredContent as { connections: { status: string }[] }).connections.map((c) => c.status)).toEqual([
      "not_connected",
      "not_connected",
      "not_connected",
      "not_connected",
    ]);
    const whoami = await callTool(key, "whoami");
    expect(whoami.structuredContent).toMatchObject({ userId: alice.user.id, role: "member", tenant: { slug: "bravo" } });
    const keys = await callTool(key, "list_api_keys");
    expect(keys.structuredContent).toEqual({
      keys: [expect.objectContaining({ name: "alice in bravo", status: "active", current: true })],
    });
  });

  it("lists only the caller's own API keys, without secrets", async () => {
    const result = await callTool(bob.apiKey, "list_api_keys");
    const keys = (result.structuredContent as { keys: Record<string, unknown>[] }).keys;
    expect(keys).toEqual([
      {
        prefix: bob.apiKeyPrefix,
        name: "bravo key",
        status: "active",
        current: true,
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        expiresAt: null,
      },
    ]);
    expect(JSON.stringify(result)).not.toContain(bob.apiKey);
  });
});
