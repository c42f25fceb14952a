// Dynamic client registration (RFC 7591). Each request comes from its own client address (the server
// trusts one proxy hop here, as on Cloud Run) so the per-IP limit of 10 registrations a minute is not
// what these cases run into.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";
import { closeWithoutErrors, readJson, type ErrorBody, type RegisteredClient } from "../support/oauth.js";

let server: TestServer;
let nextAddress = 1;
beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY_HOPS: "1" });
});
afterAll(() => closeWithoutErrors(server));

function register(body: string | object, contentType = "application/json"): Promise<Response> {
  return fetch(`${server.url}/oauth2/register`, {
    method: "POST",
    headers: { "Content-Type": contentType, "X-Forwarded-For": `198.51.100.${nextAddress++}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /oauth2/register", () => {
  it("registers a public client without a secret", async () => {
    const response = await register({
      client_name: "Inspector", redirect_uris: ["http://localhost:6274/oauth/callback"], token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], client_uri: "https://example.com",
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const client = await readJson<RegisteredClient & { client_id_issued_at: number }>(response);
    expect(client).toMatchObject({
      client_id: expect.any(String),
      client_id_issued_at: expect.any(Number),
      client_name: "Inspector",
      redirect_uris: ["http://localhost:6274/oauth/callback"],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: "fitness:read fitness:write",
      client_uri: "https://example.com",
    });
    expect(client).not.toHaveProperty("client_secret");
    expect(Math.abs(client.client_id_issued_at - Date.now() / 1000)).toBeLessThan(60);
  });

  it("gives a confidential client a non-expiring secret and stores only its hash", async () => {
    const response = await register({ client_name: "Backend", redirect_uris: ["https://app.example.com/cb"], token_endpoint_auth_method: "client_secret_basic" });
    expect(response.status).toBe(201);
    const client = await readJson<RegisteredClient & { client_secret_expires_at: number }>(response);
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.client_secret_expires_at).toBe(0);
    const { rows } = await server.pool.query("SELECT client_secret_hash, client_secret_expires_at FROM oauth2_clients WHERE client_id = $1", [client.client_id]);
    expect(rows[0].client_secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].client_secret_hash).not.toContain(client.client_secret);
    expect(rows[0].client_secret_expires_at).toBeNull();
    const audit = await server.pool.query("SELECT event_type, details FROM audit_events WHERE target = $1", [client.client_id]);
    expect(audit.rows).toEqual([{ event_type: "oauth.client_registered", details: expect.objectContaining({ clientName: "Backend" }) }]);
    expect(JSON.stringify(audit.rows)).not.toContain(client.client_secret);
  });

  it("defaults to client_secret_basic as RFC 7591 says", async () => {
    const client = await readJson<RegisteredClient & { token_endpoint_auth_method: string }>(await register({ redirect_uris: ["https://app.example.com/cb"] }));
    expect(client.token_endpoint_auth_method).toBe("client_secret_basic");
    expect(client.client_secret).toEqual(expect.any(String));
  });

  it("accepts loopback http on any host spelling and private-use schemes for native apps", async () => {
    const uris = ["http://127.0.0.1/callback", "http://[::1]:33418/", "com.example.app:/oauth2redirect", "cursor://anysphere.cursor-mcp/oauth/callback"];
    const response = await register({ redirect_uris: uris, token_endpoint_auth_method: "none" });
    expect(response.status).toBe(201);
    expect((await readJson<RegisteredClient>(response)).redirect_uris).toEqual(uris);
  });

  it.each([
    ["plain http off loopback", "http://evil.example.com/cb"],
    ["a fragment", "https://app.example.com/cb#frag"],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["a relative URI", "/callback"],
    ["user information", "https://user:pass@app.example.com/cb"],
    ["an empty authority", "https:///path"],
    ["an empty loopback authority", "http:///callback"],
    ["a line break", "https://app.example.com/c\r\nb"],
    ["a tab", "https://app.example.com/\tcb"],
  ])("rejects a redirect URI with %s as invalid_redirect_uri", async (_case, uri) => {
    const response = await register({ redirect_uris: [uri], token_endpoint_auth_method: "none" });
    expect(response.status).toBe(400);
    const body = await readJson<ErrorBody>(response);
    expect(body.error).toBe("invalid_redirect_uri");
    expect(body.error_description).toContain("redirect_uris");
  });

  it.each([
    ["no redirect URIs", { token_endpoint_auth_method: "none" }, "invalid_redirect_uri"],
    ["an unsupported auth method", { redirect_uris: ["https://a.example/cb"], token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata"],
    ["an unsupported grant", { redirect_uris: ["https://a.example/cb"], grant_types: ["client_credentials"] }, "invalid_client_metadata"],
    ["an unknown scope", { redirect_uris: ["https://a.example/cb"], scope: "fitness:read admin" }, "invalid_client_metadata"],
    ["a JSON array", [1, 2], "invalid_client_metadata"],
  ])("rejects %s with 400 (%s)", async (_case, body, error) => {
    const response = await register(body);
    expect(response.status).toBe(400);
    expect((await readJson<ErrorBody>(response)).error).toBe(error);
  });

  it("answers malformed JSON and a non-JSON body with 400, not 500", async () => {
    const malformed = await register('{"redirect_uris": [');
    expect(malformed.status).toBe(400);
    expect((await readJson<ErrorBody>(malformed)).error).toBe("invalid_request");
    const form = await register("redirect_uris=https://a.example/cb", "application/x-www-form-urlencoded");
    expect(form.status).toBe(400);
    expect((await readJson<ErrorBody>(form)).error).toBe("invalid_client_metadata");
  });
});
