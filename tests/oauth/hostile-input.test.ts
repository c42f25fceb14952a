// Text PostgreSQL cannot store (NUL, unpaired surrogates) and addresses that are not addresses: each
// endpoint answers its own ordinary 400, and a security response never depends on what it records.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  authorizationCode, closeWithoutErrors, createMember, exchangeCode, formToken, postForm, postJson, readJson,
  registerPublicClient, type ErrorBody, type RegisteredClient, type TokenBody,
} from "../support/oauth.js";

let server: TestServer;
let client: RegisteredClient;

beforeAll(async () => {
  // One trusted hop, as on Cloud Run: the forwarded address is believed, whatever it says.
  server = await startTestServer({ TRUST_PROXY_HOPS: "1" });
  client = await registerPublicClient(server);
  await createMember(server, "hostile@example.com");
});
afterAll(() => closeWithoutErrors(server));

const VALID_REGISTRATION = { client_name: "Hostile", redirect_uris: ["http://127.0.0.1:9000/cb"], token_endpoint_auth_method: "none" };

describe("registration", () => {
  it.each([
    ["client_name", { client_name: "evil\u0000name" }],
    ["redirect_uris", { redirect_uris: ["http://127.0.0.1:9000/c\u0000b"] }],
    ["contacts", { contacts: ["a\u0000@example.com"] }],
    ["software_id", { software_id: "id\u0000" }],
    ["client_name (unpaired surrogate)", { client_name: "evil\ud800" }],
    ["a key", { "x\u0000": "y" }],
  ])("refuses a NUL or unpaired surrogate in %s with invalid_client_metadata", async (_field, change) => {
    const response = await postJson(`${server.url}/oauth2/register`, { ...VALID_REGISTRATION, ...change });
    expect(response.status).toBe(400);
    const body = await readJson<ErrorBody>(response);
    expect(body.error).toBe("invalid_client_metadata");
    expect(body.error_description).toContain("must not contain NUL characters or unpaired surrogates");
  });
});

describe("token endpoint", () => {
  it.each([
    ["client_id", { client_id: "abc\u0000" }],
    ["code", { code: "c\u0000de" }],
    ["redirect_uri", { redirect_uri: "http://127.0.0.1:8976/callback\u0000" }],
  ])("refuses a NUL in %s with invalid_request", async (field, change) => {
    const response = await postForm(`${server.url}/oauth2/token`, {
      grant_type: "authorization_code", client_id: client.client_id, code: "x", redirect_uri: client.redirect_uris[0],
      code_verifier: "a".repeat(43), ...change,
    });
    expect(response.status).toBe(400);
    expect(await readJson<ErrorBody>(response)).toEqual({
      error: "invalid_request", error_description: `${field} must not contain NUL characters or unpaired surrogates`,
    });
  });

  it("refuses an unpaired surrogate in a JSON token request", async () => {
    const response = await postJson(`${server.url}/oauth2/token`, { grant_type: "refresh_token", client_id: client.client_id, refresh_token: "r\ud800" });
    expect(response.status).toBe(400);
    expect((await readJson<ErrorBody>(response)).error).toBe("invalid_request");
  });
});

describe("sign-in form", () => {
  it("shows the error page for a NUL in the email", async () => {
    const url = new URL("/oauth2/authorize", server.url);
    for (const [name, value] of Object.entries({
      response_type: "code", client_id: client.client_id, redirect_uri: client.redirect_uris[0],
      code_challenge: "a".repeat(43), code_challenge_method: "S256",
    })) url.searchParams.set(name, value);
    const token = formToken(await (await fetch(url)).text());
    const response = await postForm(`${server.url}/oauth2/authorize`, { form_token: token, email: "hostile\u0000@example.com", password: "x", action: "allow" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("characters that are not allowed");
  });
});

describe("a forwarded address that is not an IP address", () => {
  it("still revokes the grant when a code is replayed, and audits the address as unknown", async () => {
    const { code, verifier } = await authorizationCode(server, client, "hostile@example.com");
    const tokens = await readJson<TokenBody>(await exchangeCode(server, client, code, verifier));

    const replay = await postForm(`${server.url}/oauth2/token`, {
      grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: client.redirect_uris[0], client_id: client.client_id,
    }, { "x-forwarded-for": "unknown" });
    expect(replay.status).toBe(400);
    expect((await readJson<ErrorBody>(replay)).error).toBe("invalid_grant");

    const refresh = await postForm(`${server.url}/oauth2/token`, { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: client.client_id });
    expect(refresh.status).toBe(400);
    const { rows } = await server.pool.query(
      `SELECT ip FROM audit_events WHERE event_type = 'oauth.token_family_revoked' AND details->>'reason' = 'code_reuse'`,
    );
    expect(rows).toEqual([{ ip: null }]);
  });
});
