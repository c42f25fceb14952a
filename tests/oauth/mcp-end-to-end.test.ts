// From the 401 at POST /mcp to tools/list and tools/call with the SDK client (Client +
// StreamableHTTPClientTransport with an authProvider), then what revocation does to a live connection:
// a revoked access token is replaced by refreshing, a revoked grant sends the host back to sign-in.
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wwwAuthenticateHeader } from "../../service/oauth/index.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { closeWithoutErrors, createMember, PASSWORD, postForm, redirectParams, signIn, TestOAuthProvider } from "../support/oauth.js";

const REDIRECT = "http://127.0.0.1:53682/callback";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => closeWithoutErrors(server));

describe("an MCP host signing in through /mcp's challenge", () => {
  it("gets the 401 challenge, signs in, lists and calls tools, survives access-token revocation and stops at grant revocation", async () => {
    const { userId, tenantIds } = await createMember(server, "host@example.com");
    const mcpUrl = new URL(server.config.mcpResourceUrl);

    const challenge = await fetch(mcpUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get("www-authenticate")).toBe(wwwAuthenticateHeader(server.config));

    const provider = new TestOAuthProvider(REDIRECT, { client_name: "E2E host", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
    const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await expect(new Client({ name: "e2e", version: "1.0.0" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const redirect = redirectParams(await signIn(provider.authorizationUrl!, { email: "host@example.com", password: PASSWORD }));
    expect(redirect.get("iss")).toBe(server.config.publicBaseUrl);
    await transport.finishAuth(redirect.get("code")!);

    const client = new Client({ name: "e2e", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("whoami");
      const whoami = await client.callTool({ name: "whoami", arguments: {} });
      expect(whoami.structuredContent).toMatchObject({ userId, tenant: { id: tenantIds[0] }, authMethod: "oauth" });

      // Revoking the access token alone: the transport's next call gets 401, refreshes, and retries.
      const before = provider.saved!;
      const clientId = provider.client!.client_id;
      expect((await postForm(`${server.url}/oauth2/revoke`, { token: before.access_token, client_id: clientId })).status).toBe(200);
      expect((await client.callTool({ name: "whoami", arguments: {} })).structuredContent).toMatchObject({ userId });
      expect(provider.saved!.access_token).not.toBe(before.access_token);
      expect(provider.saved!.refresh_token).not.toBe(before.refresh_token);

      // Revoking the grant (its refresh token): refreshing fails too, so the host must send the user to sign in again.
      expect((await postForm(`${server.url}/oauth2/revoke`, { token: provider.saved!.refresh_token!, client_id: clientId })).status).toBe(200);
      provider.authorizationUrl = undefined;
      await expect(client.callTool({ name: "whoami", arguments: {} })).rejects.toBeInstanceOf(UnauthorizedError);
      expect(provider.authorizationUrl).toBeInstanceOf(URL);
    } finally {
      await client.close();
    }
  });
});
