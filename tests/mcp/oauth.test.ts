// /mcp with OAuth access tokens from our own authorization server, driven by the SDK client exactly as
// an MCP host does it: the 401 challenge leads it to the metadata, registration, sign-in and token.
import { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";
import { createMember, PASSWORD, redirectParams, signIn, TestOAuthProvider } from "../support/oauth.js";
import { postMcp, toolCall } from "../support/mcp.js";

const REDIRECT = "http://127.0.0.1:53682/callback";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function newProvider(): TestOAuthProvider {
  return new TestOAuthProvider(REDIRECT, { client_name: "MCP test host", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
}

async function connect(provider: TestOAuthProvider): Promise<Client> {
  const client = new Client({ name: "pierre-tests", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.config.mcpResourceUrl), { authProvider: provider }));
  return client;
}

describe("MCP with OAuth access tokens", () => {
  it("takes an SDK client from the 401 challenge through sign-in to tool calls as the signed-in user", async () => {
    const { userId, tenantIds } = await createMember(server, "host-user@example.com");
    await server.pool.query(
      "INSERT INTO provider_connections (tenant_id, user_id, provider, status, connected_at) VALUES ($1, $2, 'fitbit', 'connected', now())",
      [tenantIds[0], userId],
    );
    const provider = newProvider();
    const transport = new StreamableHTTPClientTransport(new URL(server.config.mcpResourceUrl), { authProvider: provider });
    // No token yet: the SDK reads our WWW-Authenticate, discovers the servers, registers and wants a browser.
    await expect(new Client({ name: "pierre-tests", version: "1.0.0" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrl?.searchParams.get("resource")).toBe(server.config.mcpResourceUrl);
    expect(provider.authorizationUrl?.searchParams.get("scope")).toBe("fitness:read fitness:write");
    const redirect = redirectParams(await signIn(provider.authorizationUrl!, { email: "host-user@example.com", password: PASSWORD }));
    await transport.finishAuth(redirect.get("code")!);

    const client = await connect(provider);
    try {
      const whoami = await client.callTool({ name: "whoami", arguments: {} });
      expect(whoami.structuredContent).toMatchObject({
        userId,
        email: "host-user@example.com",
        tenant: { id: tenantIds[0] },
        authMethod: "oauth",
        tier: "free",
        scopes: ["fitness:read", "fitness:write"],
      });
      // OAuth callers are limited per user (there is no key), and share the tenant's monthly pool.
      const limits = (whoami.structuredContent as { limits: { scope: string; window: string; limit: number }[] }).limits;
      expect(limits.map(({ scope, window, limit }) => `${scope}/${window}/${limit}`)).toEqual(["user/minute/100", "user/month/10000", "tenant/month/10000"]);

      const status = await client.callTool({ name: "get_connection_status", arguments: { provider: "fitbit" } });
      expect(status.structuredContent).toMatchObject({ connections: [{ provider: "fitbit", status: "connected" }] });
    } finally {
      await client.close();
    }
  });

  it("scopes a token to the tenant it was issued for", async () => {
    const { userId, tenantIds } = await createMember(server, "two-teams@example.com", ["team-one", "team-two"]);
    await server.pool.query(
      "INSERT INTO provider_connections (tenant_id, user_id, provider, status) VALUES ($1, $2, 'strava', 'connected')",
      [tenantIds[1], userId],
    );
    const provider = newProvider();
    expect(await auth(provider, { serverUrl: server.config.mcpResourceUrl })).toBe("REDIRECT");
    // The user picks team-one at sign-in: the token must not reach team-two's rows.
    const redirect = redirectParams(await signIn(provider.authorizationUrl!, { email: "two-teams@example.com", password: PASSWORD, tenantId: tenantIds[0] }));
    expect(await auth(provider, { serverUrl: server.config.mcpResourceUrl, authorizationCode: redirect.get("code")! })).toBe("AUTHORIZED");

    const client = await connect(provider);
    try {
      const whoami = await client.callTool({ name: "whoami", arguments: {} });
      expect(whoami.structuredContent).toMatchObject({ tenant: { id: tenantIds[0], slug: "team-one" } });
      const status = await client.callTool({ name: "get_connection_status", arguments: { provider: "strava" } });
      expect(status.structuredContent).toMatchObject({ connections: [{ provider: "strava", status: "not_connected" }] });
    } finally {
      await client.close();
    }
  });

  it("refuses a tampered token with invalid_token, and a token without the tool's scope with 403 insufficient_scope", async () => {
    await createMember(server, "writer@example.com");
    const provider = newProvider();
    expect(await auth(provider, { serverUrl: server.config.mcpResourceUrl, scope: "fitness:write" })).toBe("REDIRECT");
    const redirect = redirectParams(await signIn(provider.authorizationUrl!, { email: "writer@example.com", password: PASSWORD }));
    expect(await auth(provider, { serverUrl: server.config.mcpResourceUrl, authorizationCode: redirect.get("code")!, scope: "fitness:write" })).toBe("AUTHORIZED");
    const token = provider.saved!.access_token;
    expect(provider.saved!.scope).toBe("fitness:write");

    const resourceMetadata = `resource_metadata="${server.config.publicBaseUrl}/.well-known/oauth-protected-resource/mcp"`;
    const forbidden = await postMcp(server.url, toolCall("whoami"), { authorization: `Bearer ${token}` });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("www-authenticate")).toMatch(new RegExp(`^Bearer ${resourceMetadata}, scope="fitness:read fitness:write", error="insufficient_scope"`));
    // tools/list needs no particular scope.
    expect((await postMcp(server.url, { jsonrpc: "2.0", id: 1, method: "tools/list" }, { authorization: `Bearer ${token}` })).status).toBe(200);

    const [header, payload, signature] = token.split(".");
    const tampered = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
    const rejected = await postMcp(server.url, toolCall("whoami"), { authorization: `Bearer ${tampered}` });
    expect(rejected.status).toBe(401);
    expect(rejected.headers.get("www-authenticate")).toBe(`Bearer ${resourceMetadata}, scope="fitness:read fitness:write", error="invalid_token"`);
  });
});
