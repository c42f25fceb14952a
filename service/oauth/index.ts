// Pierre's OAuth 2.1 authorization server (MCP authorization, revision 2025-11-25).
// Public surface for the rest of the service:
//   createOAuth({ config, pool, logger }) -> { router, verifyAccessToken, rotateSigningKey }
//   wwwAuthenticateHeader(config, error?)  -> the exact WWW-Authenticate value for /mcp's 401
import { Router } from "express";
import type pg from "pg";
import type { Logger } from "winston";
import type { Config } from "../config.js";
import { Keyring } from "../crypto/envelope.js";
import { AccessTokens, type OAuthPrincipal } from "./access-tokens.js";
import { authorizeRoutes } from "./authorize-routes.js";
import { discoveryRoutes } from "./discovery-routes.js";
import { Grants } from "./grants.js";
import { SigningKeys } from "./signing-keys.js";
import { tokenRoutes } from "./token-routes.js";

export type { OAuthPrincipal } from "./access-tokens.js";
export { protectedResourceMetadataUrl, wwwAuthenticateHeader } from "./metadata.js";

export interface OAuthDeps {
  config: Config;
  pool: pg.Pool;
  logger: Logger;
}

export interface OAuth {
  /** Mount with `app.use(oauth.router)`: well-known documents and /oauth2/*. */
  router: Router;
  /** The principal for a valid access token whose grant, user and membership are still live; else undefined. */
  verifyAccessToken(token: string): Promise<OAuthPrincipal | undefined>;
  /** Makes a new signing key active; the previous one keeps verifying (and stays in the JWKS) for a while. */
  rotateSigningKey(): Promise<{ kid: string }>;
}

export function createOAuth({ config, pool, logger }: OAuthDeps): OAuth {
  const keyring = config.encryptionMasterKey ? new Keyring(pool, config.encryptionMasterKey) : undefined;
  const keys = new SigningKeys(pool, keyring);
  const accessTokens = new AccessTokens(config, pool, keys);
  const grants = new Grants(pool, accessTokens);

  const router = Router();
  router.use(discoveryRoutes(config, keys));
  router.use(authorizeRoutes({ config, pool, grants, logger }));
  router.use(tokenRoutes({ config, pool, grants, logger }));
  return {
    router,
    verifyAccessToken: (token) => accessTokens.verify(token),
    rotateSigningKey: () => keys.rotate(),
  };
}
