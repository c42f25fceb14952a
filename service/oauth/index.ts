// Pierre's OAuth 2.1 authorization server (MCP authorization, revision 2025-11-25).
// Public surface for the rest of the service:
//   createOAuth({ config, pool, logger }) -> { router, verifyAccessToken, rotateSigningKey }
//   wwwAuthenticateHeader(config, error?)  -> the exact WWW-Authenticate value for /mcp's 401
import { Router } from "express";
import type pg from "pg";
import type { Logger } from "winston";
import type { Config } from "../config.js";
import type { Principal } from "../identity/principal.js";
import { authorizationServerMetadata, PATHS, protectedResourceMetadata } from "./metadata.js";

export { protectedResourceMetadataUrl, wwwAuthenticateHeader } from "./metadata.js";

export interface OAuthDeps {
  config: Config;
  pool: pg.Pool;
  logger: Logger;
}

/** A Principal authenticated by one of our access tokens. */
export interface OAuthPrincipal extends Principal {
  via: "oauth";
  clientId: string;
  /** When the access token expires. */
  expiresAt: Date;
}

export interface OAuth {
  /** Mount with `app.use(oauth.router)`: well-known documents and /oauth2/*. */
  router: Router;
  /** The principal for a valid access token whose grant, user and membership are still live; else undefined. */
  verifyAccessToken(token: string): Promise<OAuthPrincipal | undefined>;
  /** Makes a new signing key active; the previous one keeps verifying (and stays in the JWKS) for a while. */
  rotateSigningKey(): Promise<{ kid: string }>;
}

export function createOAuth({ config }: OAuthDeps): OAuth {
  const router = Router();
  router.get([PATHS.authorizationServerMetadata, PATHS.openidConfiguration], (_req, res) => {
    res.json(authorizationServerMetadata(config));
  });
  router.get([PATHS.protectedResourceMetadata, `${PATHS.protectedResourceMetadata}/mcp`], (_req, res) => {
    res.json(protectedResourceMetadata(config));
  });
  return {
    router,
    // Work in progress: the signature is final, the implementation lands next.
    verifyAccessToken: async () => undefined,
    rotateSigningKey: async () => {
      throw new Error("not implemented yet");
    },
  };
}
