// POST /oauth2/token with the refresh_token grant: scope narrowing, resource checks, expiry, and users
// who lost access since the grant.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OAuth } from "../../service/oauth/index.js";
import { hashCredential } from "../../service/oauth/secrets.js";
import { startTestServer, type TestServer } from "../support/server.js";
import {
  authorizationCode, closeWithoutErrors, createMember, exchangeCode, otherInstance, postForm, readJson, registerPublicClient, type ErrorBody, type RegisteredClient,
  type TokenBody,
} from "../support/oauth.js";

let server: TestServer;
let client: RegisteredClient;
let verifier: OAuth;

beforeAll(async () => {
  server = await startTestServer();
  client = await registerPublicClient(server);
  verifier = otherInstance(server);
});
afterAll(() => closeWithoutErrors(server));

async function grant(email: string) {
  const { code, verifier: codeVerifier } = await authorizationCode(server, client, email);
  const response = await exchangeCode(server, client, code, codeVerifier);
  expect(response.status).toBe(200);
  return readJson<TokenBody>(response);
}

function refresh(refreshToken: string, extra: Record<string, string> = {}) {
  return postForm(`${server.url}/oauth2/token`, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: client.client_id, ...extra });
}

describe("refresh_token grant", () => {
  it("narrows the scope of the new access token while the grant keeps its scope", async () => {
    await createMember(server, "narrow@example.com");
    const tokens = await grant("narrow@example.com");
    const narrowed = await refresh(tokens.refresh_token, { scope: "fitness:read" });
    expect(narrowed.status).toBe(200);
    const narrow = await readJson<TokenBody>(narrowed);
    expect(narrow.scope).toBe("fitness:read");
    expect((await verifier.verifyAccessToken(narrow.access_token))?.scopes).toEqual(["fitness:read"]);

    const full = await readJson<TokenBody>(await refresh(narrow.refresh_token));
    expect(full.scope).toBe("fitness:read fitness:write");
  });

  it("refuses a wider scope with invalid_scope and a foreign resource with invalid_target, without rotating", async () => {
    const readOnly = await registerPublicClient(server, undefined, { scope: "fitness:read" });
    await createMember(server, "wide@example.com");
    const { code, verifier: codeVerifier } = await authorizationCode(server, readOnly, "wide@example.com");
    const tokens = await readJson<TokenBody>(await exchangeCode(server, readOnly, code, codeVerifier));
    expect(tokens.scope).toBe("fitness:read");
    const refreshAs = (extra: Record<string, string>) =>
      postForm(`${server.url}/oauth2/token`, { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: readOnly.client_id, ...extra });

    const wider = await refreshAs({ scope: "fitness:read fitness:write" });
    expect(wider.status).toBe(400);
    expect((await readJson<ErrorBody>(wider)).error).toBe("invalid_scope");
    const foreign = await refreshAs({ resource: "https://other.example/mcp" });
    expect(foreign.status).toBe(400);
    expect((await readJson<ErrorBody>(foreign)).error).toBe("invalid_target");
    // Neither failure used the token up.
    expect((await refreshAs({ resource: server.config.mcpResourceUrl })).status).toBe(200);
  });

  it("refuses an expired refresh token", async () => {
    await createMember(server, "expired@example.com");
    const tokens = await grant("expired@example.com");
    await server.pool.query("UPDATE oauth2_refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [hashCredential(tokens.refresh_token)]);
    const response = await refresh(tokens.refresh_token);
    expect(response.status).toBe(400);
    expect((await readJson<ErrorBody>(response)).error).toBe("invalid_grant");
  });

  it("ends a grant when the user is disabled or leaves the tenant", async () => {
    const disabled = await createMember(server, "leaving@example.com");
    const tokens = await grant("leaving@example.com");
    await server.pool.query("UPDATE users SET disabled_at = now() WHERE id = $1", [disabled.userId]);
    expect(await verifier.verifyAccessToken(tokens.access_token)).toBeUndefined();
    expect((await refresh(tokens.refresh_token)).status).toBe(400);

    const member = await createMember(server, "removed@example.com");
    const other = await grant("removed@example.com");
    expect(await verifier.verifyAccessToken(other.access_token)).toBeDefined();
    await server.pool.query("DELETE FROM tenant_memberships WHERE user_id = $1", [member.userId]);
    expect(await verifier.verifyAccessToken(other.access_token)).toBeUndefined();
    expect((await refresh(other.refresh_token)).status).toBe(400);
  });

  it("refuses a refresh token presented by another client", async () => {
    await createMember(server, "stolen@example.com");
    const tokens = await grant("stolen@example.com");
    const thief = await registerPublicClient(server);
    const response = await postForm(`${server.url}/oauth2/token`, { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: thief.client_id });
    expect(response.status).toBe(400);
    expect((await readJson<ErrorBody>(response)).error).toBe("invalid_grant");
    // The owner's family is untouched.
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });
});
