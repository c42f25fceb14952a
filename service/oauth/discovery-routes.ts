// Well-known documents: RFC 8414 (also served at the OpenID Connect discovery path, which some
// clients try first), RFC 9728 for the MCP resource (root and path-specific), and the JWKS.
import { Router } from "express";
import type { Config } from "../config.js";
import { authorizationServerMetadata, PATHS, protectedResourceMetadata } from "./metadata.js";
import type { SigningKeys } from "./signing-keys.js";

const CACHEABLE = "public, max-age=300";

export function discoveryRoutes(config: Config, keys: SigningKeys): Router {
  const router = Router();
  router.get([PATHS.authorizationServerMetadata, PATHS.openidConfiguration], (_req, res) => {
    res.set("Cache-Control", CACHEABLE).json(authorizationServerMetadata(config));
  });
  const resourcePath = new URL(config.mcpResourceUrl).pathname;
  router.get([PATHS.protectedResourceMetadata, `${PATHS.protectedResourceMetadata}${resourcePath}`], (_req, res) => {
    res.set("Cache-Control", CACHEABLE).json(protectedResourceMetadata(config));
  });
  router.get(PATHS.jwks, async (_req, res) => {
    res.set("Cache-Control", CACHEABLE).json(await keys.jwks());
  });
  return router;
}
