import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wwwAuthenticateHeader } from "../../service/oauth/index.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { closeWithoutErrors, readJson } from "../support/oauth.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => closeWithoutErrors(server));

describe("discovery documents", () => {
  it("publishes RFC 8414 metadata whose issuer is exactly the public base URL, at both well-known paths", async () => {
    const base = server.config.publicBaseUrl;
    for (const path of ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      const metadata = await readJson<{ issuer: string }>(response);
      expect(metadata).toMatchObject({
        issuer: base,
        authorization_endpoint: `${base}/oauth2/authorize`,
        token_endpoint: `${base}/oauth2/token`,
        registration_endpoint: `${base}/oauth2/register`,
        revocation_endpoint: `${base}/oauth2/revoke`,
        jwks_uri: `${base}/.well-known/jwks.json`,
        response_types_supported: ["code"],
        // client_credentials: for A2A clients (a2a_clients) only.
        grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["none", "client_secret_post", "client_secret_basic"],
        revocation_endpoint_auth_methods_supported: ["none", "client_secret_post", "client_secret_basic"],
        scopes_supported: ["fitness:read", "fitness:write"],
        authorization_response_iss_parameter_supported: true,
      });
      expect(metadata.issuer.endsWith("/")).toBe(false);
    }
  });

  it("publishes RFC 9728 protected resource metadata at the root and the /mcp path", async () => {
    for (const path of ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        resource: server.config.mcpResourceUrl,
        authorization_servers: [server.config.publicBaseUrl],
        scopes_supported: ["fitness:read", "fitness:write"],
        bearer_methods_supported: ["header"],
        resource_name: "Pierre fitness data (MCP)",
      });
    }
  });

  it("builds the /mcp challenge pointing at the path-specific resource metadata", () => {
    const base = server.config.publicBaseUrl;
    expect(wwwAuthenticateHeader(server.config)).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp", scope="fitness:read fitness:write"`,
    );
    expect(wwwAuthenticateHeader(server.config, "invalid_token", 'token "expired"')).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp", scope="fitness:read fitness:write", ` +
        `error="invalid_token", error_description="token expired"`,
    );
  });

  it("serves a JWKS with one RS256 signing key, created once even when asked concurrently", async () => {
    const responses = await Promise.all([1, 2, 3].map(() => fetch(`${server.url}/.well-known/jwks.json`)));
    const sets = await Promise.all(responses.map((response) => readJson<{ keys: Record<string, string>[] }>(response)));
    for (const set of sets) {
      expect(set.keys).toHaveLength(1);
      expect(set.keys[0]).toEqual({ kty: "RSA", kid: expect.any(String), use: "sig", alg: "RS256", n: expect.any(String), e: "AQAB" });
      expect(set.keys[0]).not.toHaveProperty("d");
    }
    const { rows } = await server.pool.query("SELECT kid, private_key_ciphertext FROM rsa_keypairs");
    expect(rows).toHaveLength(1);
    expect(rows[0].kid).toBe(sets[0].keys[0].kid);
    // Stored sealed, never as PEM.
    expect(rows[0].private_key_ciphertext.toString("latin1")).not.toContain("PRIVATE KEY");
  });
});
