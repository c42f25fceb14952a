// Discovery documents: RFC 8414 authorization server metadata, RFC 9728 protected resource metadata,
// and the WWW-Authenticate challenge that points MCP clients at the latter.
import type { Config } from "../config.js";
import { SCOPES } from "../identity/scopes.js";

export const PATHS = {
  authorize: "/oauth2/authorize",
  token: "/oauth2/token",
  register: "/oauth2/register",
  revoke: "/oauth2/revoke",
  jwks: "/.well-known/jwks.json",
  authorizationServerMetadata: "/.well-known/oauth-authorization-server",
  openidConfiguration: "/.well-known/openid-configuration",
  protectedResourceMetadata: "/.well-known/oauth-protected-resource",
} as const;

export const CLIENT_AUTH_METHODS = ["none", "client_secret_post", "client_secret_basic"] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];
export const GRANT_TYPES = ["authorization_code", "refresh_token"] as const;
/** The grant of A2A clients (a2a_clients), never of registered OAuth clients. */
export const CLIENT_CREDENTIALS = "client_credentials";

/** The issuer is publicBaseUrl verbatim: metadata, JWT `iss` and the RFC 9207 `iss` parameter agree. */
export function issuer(config: Config): string {
  return config.publicBaseUrl;
}

export function authorizationServerMetadata(config: Config) {
  const base = issuer(config);
  return {
    issuer: base,
    authorization_endpoint: `${base}${PATHS.authorize}`,
    token_endpoint: `${base}${PATHS.token}`,
    registration_endpoint: `${base}${PATHS.register}`,
    revocation_endpoint: `${base}${PATHS.revoke}`,
    jwks_uri: `${base}${PATHS.jwks}`,
    scopes_supported: [...SCOPES],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: [...GRANT_TYPES, CLIENT_CREDENTIALS],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
  };
}

/** The path of the protected resource metadata for the MCP endpoint (RFC 9728 §3.1: inserted before the path). */
export function protectedResourceMetadataUrl(config: Config): string {
  return `${config.publicBaseUrl}${PATHS.protectedResourceMetadata}${new URL(config.mcpResourceUrl).pathname}`;
}

export function protectedResourceMetadata(config: Config) {
  return {
    resource: config.mcpResourceUrl,
    authorization_servers: [issuer(config)],
    scopes_supported: [...SCOPES],
    bearer_methods_supported: ["header"],
    resource_name: "Pierre fitness data (MCP)",
  };
}

/**
 * The challenge /mcp answers a missing or bad bearer token with (RFC 6750 §3, RFC 9728 §5.1). With no
 * `error` the client simply has no token yet; "invalid_token" tells it to refresh or re-authorize;
 * "insufficient_scope" asks for more scopes.
 */
export function wwwAuthenticateHeader(
  config: Config,
  error?: "invalid_token" | "insufficient_scope",
  description?: string,
): string {
  const params = [`resource_metadata="${protectedResourceMetadataUrl(config)}"`, `scope="${SCOPES.join(" ")}"`];
  if (error) params.push(`error="${error}"`);
  // Quoted-string: drop the characters that would end it early.
  if (error && description) params.push(`error_description="${description.replace(/["\\\r\n]/g, "")}"`);
  return `Bearer ${params.join(", ")}`;
}
