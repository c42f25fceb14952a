// Pierre's OAuth 2.1 authorization server (MCP authorization, revision 2025-11-25).
// Public surface for the rest of the service:
//   createOAuth({ config, pool, logger, signingKeys, accessTokens, grants }) (composition.ts builds those)
//     -> { router, verifyAccessToken, rotateSigningKey }
//   wwwAuthenticateHeader(config, error?)  -> the exact WWW-Authenticate value for /mcp's 401
import { Router } from "express";
import type pg from "pg";
import type { Logger } from "winston";
import type { Config } from "../config.js";
import { sweeper } from "../db/sweeper.js";
import type { AccessTokens, OAuthPrincipal } from "./access-tokens.js";
import { authorizeRoutes } from "./authorize-routes.js";
import { deleteExpiredOAuthState } from "./cleanup.js";
import { discoveryRoutes } from "./discovery-routes.js";
import type { Grants } from "./grants.js";
import type { SigningKeys } from "./signing-keys.js";
import { tokenRoutes } from "./token-routes.js";

export type { OAuthPrincipal } from "./access-tokens.js";
export { protectedResourceMetadataUrl, wwwAuthenticateHeader } from "./metadata.js";

export interface OAuthDeps {
  config: Config;
  pool: pg.Pool;
  logger: Logger;
  signingKeys: SigningKeys;
  accessTokens: AccessTokens;
  grants: Grants;
  /** Minimum time between two clean-ups of expired OAuth state by this instance (cleanup.ts). */
  cleanupIntervalMs?: number;
}

const DEFAULT_CLEANUP_INTERVAL_MS = 60_000;
/** Rows per table and clean-up at most, so that each statement stays short. */
const CLEANUP_BATCH = 1_000;

export interface OAuth {
  /** Mount with `app.use(oauth.router)`: well-known documents and /oauth2/*. */
  router: Router;
  /** The principal for a valid access token whose grant, user and membership are still live; else undefined. */
  verifyAccessToken(token: string): Promise<OAuthPrincipal | undefined>;
  /** The same for a token an A2A client got with its client credentials (audience: the A2A endpoint). */
  verifyA2aToken(token: string): Promise<OAuthPrincipal | undefined>;
  /** Makes a new signing key active; the previous one keeps verifying (and stays in the JWKS) for a while. */
  rotateSigningKey(): Promise<{ kid: string }>;
}

export function createOAuth(deps: OAuthDeps): OAuth {
  const { config, pool, logger, signingKeys: keys, accessTokens, grants, cleanupIntervalMs = DEFAULT_CLEANUP_INTERVAL_MS } = deps;

  const cleanUpIfDue = sweeper(
    cleanupIntervalMs,
    () => deleteExpiredOAuthState(pool, CLEANUP_BATCH),
    (error) => logger.warn("OAuth clean-up failed", { error }),
  );

  const router = Router();
  // Where OAuth state is created: an instance that serves no OAuth traffic has none to clean up.
  router.use(["/oauth2/authorize", "/oauth2/token"], (_req, _res, next) => {
    cleanUpIfDue();
    next();
  });
  router.use(discoveryRoutes(config, keys));
  router.use(authorizeRoutes({ config, pool, grants, logger }));
  router.use(tokenRoutes({ config, pool, grants, logger }));
  return {
    router,
    verifyAccessToken: (token) => accessTokens.verify(token),
    verifyA2aToken: (token) => accessTokens.verifyA2a(token),
    rotateSigningKey: () => keys.rotate(),
  };
}
