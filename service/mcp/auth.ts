// Who is calling /mcp: an OAuth access token (Authorization: Bearer <JWT>) or an API key
// (X-API-Key: pk_live_..., or Authorization: Bearer pk_live_...). When both headers are sent,
// Authorization wins. Both verifications read the credential's tenant in the same query (its tier
// sizes the limits), so a verification is one database round trip; a credential this instance verified
// recently is taken from the CredentialCache, and confirmed once the rate-limit charge has read the
// credential epoch (see credential-cache.ts for why that is safe against revocation).
import type { IncomingMessage } from "node:http";
import type { Queryable } from "../db/pool.js";
import { bearerToken, header } from "../http/node-http.js";
import { API_KEY_PREFIX, authenticateApiKey } from "../identity/api-keys.js";
import type { Principal } from "../identity/principal.js";
import { CredentialCache } from "./credential-cache.js";

/** Verifies one of our OAuth access tokens (service/oauth); undefined when invalid, expired or revoked. */
export type VerifyAccessToken = (token: string) => Promise<Principal | undefined>;

/** A credential as sent: which kind, and the secret itself. */
interface Presented {
  kind: "api_key" | "access_token";
  credential: string;
}

export type Authentication =
  /** `cached`: from the CredentialCache, to be confirmed (Authenticator.confirm) before it is relied on. */
  | { outcome: "authenticated"; principal: Principal; presented: Presented; cached: boolean }
  /** No credential at all: the client should start the OAuth flow. */
  | { outcome: "missing" }
  /** A credential that is malformed, unknown, expired or revoked. */
  | { outcome: "invalid" };

export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<Authentication>;
  /**
   * The authentication to rely on, given the credential epoch the request's rate-limit charge read: a
   * cached one whose epoch has moved since its verification (or when none could be read) is verified
   * again; a fresh one is returned as it is.
   */
  confirm(auth: Authentication, credentialEpoch: string | undefined): Promise<Authentication>;
}

const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 10_000;

export function createAuthenticator(db: Queryable, verifyAccessToken: VerifyAccessToken): Authenticator {
  const cache = new CredentialCache({ ttlMs: CACHE_TTL_MS, maxEntries: CACHE_MAX_ENTRIES });

  async function verify(presented: Presented): Promise<Authentication> {
    const { kind, credential } = presented;
    const principal = kind === "api_key" ? await authenticateApiKey(db, credential) : await verifyAccessToken(credential);
    if (!principal) {
      cache.delete(credential);
      return { outcome: "invalid" };
    }
    cache.set(credential, principal);
    return { outcome: "authenticated", principal, presented, cached: false };
  }

  return {
    async authenticate(req) {
      const presented = presentedCredential(req);
      if (presented === "missing" || presented === "invalid") return { outcome: presented };
      const principal = cache.get(presented.credential);
      return principal ? { outcome: "authenticated", principal, presented, cached: true } : verify(presented);
    },
    async confirm(auth, credentialEpoch) {
      if (auth.outcome !== "authenticated" || !auth.cached || auth.principal.credentialEpoch === credentialEpoch) return auth;
      return verify(auth.presented);
    },
  };
}

function presentedCredential(req: IncomingMessage): Presented | "missing" | "invalid" {
  const authorization = header(req, "authorization");
  if (authorization !== undefined) {
    const token = bearerToken(authorization);
    if (token === undefined) return "invalid";
    return { kind: token.startsWith(API_KEY_PREFIX) ? "api_key" : "access_token", credential: token };
  }
  const apiKey = header(req, "x-api-key")?.trim();
  if (apiKey === undefined) return "missing";
  // Only API keys belong in X-API-Key; an access token there is refused even when cached.
  return apiKey.startsWith(API_KEY_PREFIX) ? { kind: "api_key", credential: apiKey } : "invalid";
}
