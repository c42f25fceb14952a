// The whole flow driven by an independent client: the MCP SDK's own client-side OAuth (`auth()`),
// starting from the protected resource metadata of the MCP URL, as Claude, Cursor or mcp-remote would.
import { auth, discoverAuthorizationServerMetadata, refreshAuthorization } from "@modelcontextprotocol/sdk/client/auth.js";
import { InvalidGrantError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OAuth } from "../../service/oauth/index.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { closeWithoutErrors, createMember, formToken, otherInstance, PASSWORD, postForm, readJson, redirectParams, signIn, TestOAuthProvider } from "../support/oauth.js";

let server: TestServer;
let verifier: OAuth;
beforeAll(async () => {
  server = await startTestServer();
  verifier = otherInstance(server);
});
afterAll(() => closeWithoutErrors(server));

const REDIRECT = "http://127.0.0.1:53682/callback";

/** auth() until it needs the browser, the browser part, then auth() with the code. */
async function authorizeWithSdk(provider: TestOAuthProvider, email: string, fetchFn?: typeof fetch) {
  const serverUrl = server.config.mcpResourceUrl;
  expect(await auth(provider, { serverUrl, fetchFn })).toBe("REDIRECT");
  const redirect = redirectParams(await signIn(provider.authorizationUrl!, { email, password: PASSWORD }));
  expect(redirect.get("state")).toBe(provider.stateValue);
  expect(redirect.get("iss")).toBe(server.config.publicBaseUrl);
  expect(await auth(provider, { serverUrl, authorizationCode: redirect.get("code")!, fetchFn })).toBe("AUTHORIZED");
  return provider.saved!;
}

/** The SDK's own refresh request, for presenting a chosen (possibly stale) refresh token. */
async function refreshWith(provider: TestOAuthProvider, refreshToken: string) {
  const metadata = await discoverAuthorizationServerMetadata(server.config.publicBaseUrl);
  return refreshAuthorization(server.config.publicBaseUrl, { metadata, clientInformation: provider.client!, refreshToken });
}

describe("a public client using the MCP SDK", () => {
  it("registers, authorizes with PKCE and gets a verifiable RS256 access token for the MCP resource", async () => {
    const { userId, tenantIds } = await createMember(server, "runner@example.com");
    const provider = new TestOAuthProvider(REDIRECT, { client_name: "SDK test", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
    const tokens = await authorizeWithSdk(provider, "Runner@Example.com");

    const requested = provider.authorizationUrl!;
    expect(requested.searchParams.get("resource")).toBe(server.config.mcpResourceUrl);
    expect(requested.searchParams.get("code_challenge_method")).toBe("S256");
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "fitness:read fitness:write", refresh_token: expect.any(String) });

    const { header, payload } = jwt.decode(tokens.access_token, { complete: true }) as jwt.Jwt & { payload: jwt.JwtPayload };
    expect(header).toMatchObject({ alg: "RS256", typ: "at+jwt", kid: expect.any(String) });
    expect(payload).toMatchObject({
      iss: server.config.publicBaseUrl, aud: server.config.mcpResourceUrl, sub: userId, tenant_id: tenantIds[0],
      client_id: provider.client!.client_id, scope: "fitness:read fitness:write", jti: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
    const jwks = await readJson<{ keys: { kid: string }[] }>(await fetch(`${server.url}/.well-known/jwks.json`));
    expect(jwks.keys.map((key: { kid: string }) => key.kid)).toContain(header.kid);

    expect(await verifier.verifyAccessToken(tokens.access_token)).toEqual({
      userId, account: { email: "runner@example.com", displayName: null, role: "member" }, tenant: { id: tenantIds[0], slug: expect.stringMatching(/^t-/), name: expect.stringMatching(/^Team t-/), tier: "free" }, tier: "free", scopes: ["fitness:read", "fitness:write"], via: "oauth",
      clientId: provider.client!.client_id, expiresAt: new Date(payload.exp! * 1000), credentialEpoch: expect.stringMatching(/^\d+$/),
    });
    const audit = await server.pool.query("SELECT event_type, tenant_id FROM audit_events WHERE actor_user_id = $1", [userId]);
    expect(audit.rows).toEqual([{ event_type: "oauth.login_succeeded", tenant_id: tenantIds[0] }]);
  });

  it("rotates the refresh token on every use and revokes the whole family when a rotated one comes back", async () => {
    const { userId } = await createMember(server, "rotator@example.com");
    const provider = new TestOAuthProvider(REDIRECT, { client_name: "SDK test", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
    const first = await authorizeWithSdk(provider, "rotator@example.com");

    // auth() with a stored refresh token refreshes.
    expect(await auth(provider, { serverUrl: server.config.mcpResourceUrl })).toBe("AUTHORIZED");
    const second = provider.saved!;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(await verifier.verifyAccessToken(second.access_token)).toBeDefined();

    // The first refresh token was rotated: presenting it again is reuse.
    await expect(refreshWith(provider, first.refresh_token!)).rejects.toBeInstanceOf(InvalidGrantError);
    await expect(refreshWith(provider, second.refresh_token!)).rejects.toBeInstanceOf(InvalidGrantError);
    expect(await verifier.verifyAccessToken(second.access_token)).toBeUndefined();
    expect(await verifier.verifyAccessToken(first.access_token)).toBeUndefined();

    const audit = await server.pool.query(
      "SELECT details->>'reason' AS reason FROM audit_events WHERE actor_user_id = $1 AND event_type = 'oauth.token_family_revoked'",
      [userId],
    );
    expect(audit.rows).toEqual([{ reason: "refresh_token_reuse" }]);
  });

  it("revokes a refresh token's family, and a single access token, through /oauth2/revoke", async () => {
    await createMember(server, "revoker@example.com");
    const provider = new TestOAuthProvider(REDIRECT, { client_name: "SDK test", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
    const tokens = await authorizeWithSdk(provider, "revoker@example.com");
    const clientId = provider.client!.client_id;

    // An access token alone: the refresh token keeps working.
    expect((await postForm(`${server.url}/oauth2/revoke`, { token: tokens.access_token, client_id: clientId })).status).toBe(200);
    expect(await verifier.verifyAccessToken(tokens.access_token)).toBeUndefined();
    const refreshed = await refreshWith(provider, tokens.refresh_token!);
    expect(await verifier.verifyAccessToken(refreshed.access_token)).toBeDefined();

    const revoke = await postForm(`${server.url}/oauth2/revoke`, { token: refreshed.refresh_token!, token_type_hint: "refresh_token", client_id: clientId });
    expect(revoke.status).toBe(200);
    expect(await verifier.verifyAccessToken(refreshed.access_token)).toBeUndefined();
    await expect(refreshWith(provider, refreshed.refresh_token!)).rejects.toBeInstanceOf(InvalidGrantError);

    // RFC 7009 §2.2: unknown tokens are not an error.
    expect((await postForm(`${server.url}/oauth2/revoke`, { token: "no-such-token", client_id: clientId })).status).toBe(200);
  });
});

describe("a confidential client", () => {
  it("authenticates with client_secret_basic when the SDK drives it, and is refused with a Basic challenge on a wrong secret", async () => {
    await createMember(server, "backend@example.com");
    const tokenRequests: { authorization: string | null; body: string }[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      if (String(input).endsWith("/oauth2/token")) {
        tokenRequests.push({ authorization: new Headers(init?.headers).get("authorization"), body: String(init?.body) });
      }
      return fetch(input, init);
    };
    const provider = new TestOAuthProvider(REDIRECT, { client_name: "Backend", redirect_uris: [REDIRECT], token_endpoint_auth_method: "client_secret_basic" });
    const tokens = await authorizeWithSdk(provider, "backend@example.com", recordingFetch);
    const { client_id: clientId, client_secret: secret } = provider.client!;
    expect(secret).toEqual(expect.any(String));
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0].authorization).toBe(`Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`);
    expect(tokenRequests[0].body).not.toContain("client_secret");

    const wrong = await postForm(`${server.url}/oauth2/token`, { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }, {
      Authorization: `Basic ${Buffer.from(`${clientId}:not-the-secret`).toString("base64")}`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });

    // The same secret in the body (client_secret_post) works too; a public-style request without it does not.
    const withoutSecret = await postForm(`${server.url}/oauth2/token`, { grant_type: "refresh_token", refresh_token: tokens.refresh_token!, client_id: clientId! });
    expect(withoutSecret.status).toBe(401);
    expect(withoutSecret.headers.get("www-authenticate")).toBeNull();
    const posted = await postForm(`${server.url}/oauth2/token`, {
      grant_type: "refresh_token", refresh_token: tokens.refresh_token!, client_id: clientId!, client_secret: secret!,
    });
    expect(posted.status).toBe(200);
  });
});

describe("users of several tenants", () => {
  it("choose the tenant after signing in, and the token is bound to that tenant", async () => {
    const { tenantIds } = await createMember(server, "coach@example.com", ["club-a", "club-b"]);
    const provider = new TestOAuthProvider(REDIRECT, { client_name: "SDK test", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
    expect(await auth(provider, { serverUrl: server.config.mcpResourceUrl })).toBe("REDIRECT");

    const choice = await signIn(provider.authorizationUrl!, { email: "coach@example.com", password: PASSWORD });
    expect(choice.status).toBe(200);
    const page = await choice.text();
    expect(page).toContain("Team club-a");
    expect(page).toContain("Team club-b");
    // The second step needs no password: the form token now stands for the signed-in user.
    const redirect = redirectParams(await postForm(`${server.url}/oauth2/authorize`, { form_token: formToken(page), tenant_id: tenantIds[1], action: "allow" }));
    expect(await auth(provider, { serverUrl: server.config.mcpResourceUrl, authorizationCode: redirect.get("code")! })).toBe("AUTHORIZED");
    expect((await verifier.verifyAccessToken(provider.saved!.access_token))?.tenant.id).toBe(tenantIds[1]);
  });
});
