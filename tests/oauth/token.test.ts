// POST /oauth2/token with the authorization_code grant: everything that must make an exchange fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OAuth } from "../../service/oauth/index.js";
import { hashCredential } from "../../service/oauth/secrets.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  authorizationCode, closeWithoutErrors, createMember, exchangeCode, otherInstance, postForm, postJson, readJson, registerPublicClient, type RegisteredClient,
  type TokenBody,
} from "../support/oauth.js";

let server: TestServer;
let client: RegisteredClient;
let verifier: OAuth;
const EMAIL = "exchanger@example.com";

beforeAll(async () => {
  server = await startTestServer();
  client = await registerPublicClient(server);
  verifier = otherInstance(server);
  await createMember(server, EMAIL);
});
afterAll(() => closeWithoutErrors(server));

async function expectError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(await response.json()).toMatchObject({ error, error_description: expect.any(String) });
}

describe("authorization_code grant", () => {
  it("issues tokens once for the right verifier, redirect URI and client; Cache-Control: no-store", async () => {
    const { code, verifier: codeVerifier } = await authorizationCode(server, client, EMAIL);
    const response = await exchangeCode(server, client, code, codeVerifier, { resource: server.config.mcpResourceUrl });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "fitness:read fitness:write" });
  });

  it("accepts a JSON body too", async () => {
    const { code, verifier: codeVerifier } = await authorizationCode(server, client, EMAIL);
    const response = await postJson(`${server.url}/oauth2/token`, {
      grant_type: "authorization_code", code, code_verifier: codeVerifier, redirect_uri: client.redirect_uris[0], client_id: client.client_id,
    });
    expect(response.status).toBe(200);
  });

  it("refuses a wrong PKCE verifier", async () => {
    const { code } = await authorizationCode(server, client, EMAIL);
    await expectError(await exchangeCode(server, client, code, "x".repeat(43)), 400, "invalid_grant");
  });

  it("refuses a redirect_uri other than the authorization request's, even another port of the same loopback URI", async () => {
    const { code, verifier: codeVerifier } = await authorizationCode(server, client, EMAIL);
    await expectError(await exchangeCode(server, client, code, codeVerifier, { redirect_uri: "http://127.0.0.1:9999/callback" }), 400, "invalid_grant");
  });

  it("refuses an expired code", async () => {
    const { code, verifier: codeVerifier } = await authorizationCode(server, client, EMAIL);
    await server.pool.query("UPDATE oauth2_auth_codes SET expires_at = now() - interval '1 second' WHERE code_hash = $1", [hashCredential(code)]);
    await expectError(await exchangeCode(server, client, code, codeVerifier), 400, "invalid_grant");
  });

  it("refuses a code whose user was disabled after signing in", async () => {
    const { userId } = await createMember(server, "soon-disabled@example.com");
    const { code, verifier: codeVerifier } = await authorizationCode(server, client, "soon-disabled@example.com");
    await server.pool.query("UPDATE users SET disabled_at = now() WHERE id = $1", [userId]);
    await expectError(await exchangeCode(server, client, code, codeVerifier), 400, "invalid_grant");
  });

  it("refuses a resource other than the MCP endpoint (RFC 8707)", async () => {
    const { code, verifier: codeVerifier } = await authorizationCode(server, client, EMAIL);
    await expectError(await exchangeCode(server, client, code, codeVerifier, { resource: "https://other.example/mcp" }), 400, "invalid_target");
  });

  it("refuses a code issued to another client", async () => {
    const other = await registerPublicClient(server);
    const { code, verifier: codeVerifier } = await authorizationCode(server, client, EMAIL);
    await expectError(await exchangeCode(server, other, code, codeVerifier, { redirect_uri: client.redirect_uris[0] }), 400, "invalid_grant");
  });

  it("on a second use of a code, fails and revokes the tokens the first use produced", async () => {
    const { code, verifier: codeVerifier } = await authorizationCode(server, client, EMAIL);
    const first = await readJson<TokenBody>(await exchangeCode(server, client, code, codeVerifier));
    expect(await verifier.verifyAccessToken(first.access_token)).toBeDefined();

    await expectError(await exchangeCode(server, client, code, codeVerifier), 400, "invalid_grant");
    expect(await verifier.verifyAccessToken(first.access_token)).toBeUndefined();
    const refresh = await postForm(`${server.url}/oauth2/token`, { grant_type: "refresh_token", refresh_token: first.refresh_token, client_id: client.client_id });
    await expectError(refresh, 400, "invalid_grant");
    const { rows } = await server.pool.query("SELECT count(*)::int AS n FROM audit_events WHERE details->>'reason' = 'code_reuse'");
    expect(rows[0].n).toBe(1);
  });

  it("lets only one of two concurrent exchanges of a code succeed, and treats the other as a replay", async () => {
    const { code, verifier: codeVerifier } = await authorizationCode(server, client, EMAIL);
    const responses = await Promise.all([1, 2].map(() => exchangeCode(server, client, code, codeVerifier)));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
    const winner = await readJson<TokenBody>(responses.find((response) => response.status === 200)!);
    expect(await verifier.verifyAccessToken(winner.access_token)).toBeUndefined();
  });
});

describe("malformed token requests", () => {
  it("unknown client: 401 invalid_client", async () => {
    const response = await postForm(`${server.url}/oauth2/token`, { grant_type: "authorization_code", code: "c", code_verifier: "v".repeat(43), redirect_uri: "x", client_id: "nope" });
    await expectError(response, 401, "invalid_client");
  });

  it.each([
    ["no grant_type", "invalid_request", {}],
    ["the password grant", "unsupported_grant_type", { grant_type: "password" }],
    ["no code_verifier", "invalid_request", { grant_type: "authorization_code", code: "c", redirect_uri: "http://127.0.0.1:8976/callback" }],
  ])("%s: 400 %s", async (_case, error, fields) => {
    await expectError(await postForm(`${server.url}/oauth2/token`, { client_id: client.client_id, ...fields }), 400, error);
  });

  it("a repeated parameter: 400 invalid_request", async () => {
    const body = `grant_type=authorization_code&grant_type=refresh_token&client_id=${client.client_id}`;
    const response = await fetch(`${server.url}/oauth2/token`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    await expectError(response, 400, "invalid_request");
  });

  it("a public client presenting a secret: 401 invalid_client", async () => {
    const response = await postForm(`${server.url}/oauth2/token`, { grant_type: "authorization_code", client_id: client.client_id, client_secret: "guess" });
    await expectError(response, 401, "invalid_client");
  });
});
