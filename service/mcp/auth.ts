// Who is calling /mcp: an OAuth access token (Authorization: Bearer <JWT>) or an API key
// (X-API-Key: pk_live_..., or Authorization: Bearer pk_live_...). When both headers are sent,
// Authorization wins. Both verifications read the credential's tenant in the same query (its tier
// sizes the limits), so authentication is one database round trip.
import type { Request } from "express";
import type { Queryable } from "../db/pool.js";
import { authenticateApiKey } from "../identity/api-keys.js";
import type { Principal } from "../identity/principal.js";

/** Verifies one of our OAuth access tokens (service/oauth); undefined when invalid, expired or revoked. */
export type VerifyAccessToken = (token: string) => Promise<Principal | undefined>;

export type Authentication =
  | { outcome: "authenticated"; principal: Principal }
  /** No credential at all: the client should start the OAuth flow. */
  | { outcome: "missing" }
  /** A credential that is malformed, unknown, expired or revoked. */
  | { outcome: "invalid" };

const API_KEY_PREFIX = "pk_live_";
const BEARER = /^Bearer +([^\s]+) *$/i;

export async function authenticate(req: Request, db: Queryable, verifyAccessToken: VerifyAccessToken): Promise<Authentication> {
  const authorization = req.get("authorization");
  const apiKeyHeader = req.get("x-api-key");
  if (authorization === undefined && apiKeyHeader === undefined) return { outcome: "missing" };

  let principal: Principal | undefined;
  if (authorization !== undefined) {
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) return { outcome: "invalid" };
    principal = token.startsWith(API_KEY_PREFIX) ? await authenticateApiKey(db, token) : await verifyAccessToken(token);
  } else if (apiKeyHeader !== undefined) {
    principal = await authenticateApiKey(db, apiKeyHeader.trim());
  }
  return principal ? { outcome: "authenticated", principal } : { outcome: "invalid" };
}
