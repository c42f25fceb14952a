// Access tokens: RS256 JWTs in the RFC 9068 profile (typ at+jwt). Two audiences: the MCP resource URL
// (tokens of the authorization code grant) and the A2A endpoint (client credentials tokens of A2A clients);
// each verification accepts exactly one, so a token opens one door. Verification checks the signature by
// kid, issuer, audience and expiry, then asks the database once whether the grant (token family, or the
// A2A consent) is still live, the user still enabled and the token not revoked.
import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import type pg from "pg";
import { z } from "zod";
import type { Config } from "../config.js";
import type { Queryable } from "../db/pool.js";
import { CREDENTIAL_EPOCH_SQL } from "../identity/credential-epoch.js";
import { PRINCIPAL_ACCOUNT_SQL, type Principal, type PrincipalAccount, type PrincipalTenant } from "../identity/principal.js";
import type { Tier } from "../identity/tiers.js";
import { ACCESS_TOKEN_TTL_SECONDS } from "./lifetimes.js";
import { issuer } from "./metadata.js";
import { formatScope, parseScope } from "./scopes.js";
import type { SigningKeys } from "./signing-keys.js";

/** A Principal authenticated by one of our access tokens. */
export interface OAuthPrincipal extends Principal {
  via: "oauth";
  clientId: string;
  /** When the access token expires. */
  expiresAt: Date;
}

/** Who a token is for: one user in one tenant, through one client, within one grant. */
export interface TokenSubject {
  userId: string;
  tenantId: string;
  clientId: string;
  familyId: string;
}

const TOKEN_TYPE = "at+jwt";

/** Instances share one database clock for everything else; this only absorbs their own clocks' drift. */
const MAX_CLOCK_SKEW_SECONDS = 60;

const claimsSchema = z.object({
  sub: z.uuid(),
  tenant_id: z.uuid(),
  client_id: z.string().min(1),
  family_id: z.uuid(),
  scope: z.string(),
  aud: z.string(),
  jti: z.string().min(1).max(100),
  exp: z.number().int(),
  iat: z.number().int(),
});
export type AccessTokenClaims = z.infer<typeof claimsSchema>;

export class AccessTokens {
  constructor(
    private readonly config: Config,
    private readonly pool: pg.Pool,
    private readonly keys: SigningKeys,
  ) {}

  /** `audience`: the MCP resource unless given (the A2A endpoint for A2A clients). */
  async issue(subject: TokenSubject, scopes: readonly string[], audience = this.config.mcpResourceUrl): Promise<{ accessToken: string; expiresIn: number }> {
    const key = await this.keys.current();
    const accessToken = jwt.sign(
      { client_id: subject.clientId, scope: formatScope(scopes), tenant_id: subject.tenantId, family_id: subject.familyId },
      key.privateKey,
      {
        algorithm: "RS256",
        keyid: key.kid,
        header: { alg: "RS256", typ: TOKEN_TYPE },
        issuer: issuer(this.config),
        audience,
        subject: subject.userId,
        jwtid: randomUUID(),
        expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      },
    );
    return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /**
   * The claims of a token we issued for `audience` (the MCP resource unless given): signature by a known
   * kid, RS256 only, exact issuer and audience, at+jwt type, unexpired (unless `ignoreExpiration`, for revocation).
   */
  async claims(token: string, { ignoreExpiration = false, audience = this.config.mcpResourceUrl } = {}): Promise<AccessTokenClaims | undefined> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || decoded.header.typ !== TOKEN_TYPE || typeof decoded.header.kid !== "string") return undefined;
    const publicKey = await this.keys.verificationKey(decoded.header.kid);
    if (!publicKey) return undefined;
    try {
      const payload = jwt.verify(token, publicKey, {
        algorithms: ["RS256"],
        issuer: issuer(this.config),
        audience,
        ignoreExpiration,
      });
      const parsed = claimsSchema.safeParse(payload);
      // jsonwebtoken accepts an audience array that merely contains ours; we only issue the plain string.
      if (!parsed.success || parsed.data.aud !== audience) return undefined;
      // jsonwebtoken does not check iat; a token "issued" in the future was not issued by us.
      return parsed.data.iat <= Date.now() / 1000 + MAX_CLOCK_SKEW_SECONDS ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async verify(token: string): Promise<OAuthPrincipal | undefined> {
    const claims = await this.claims(token);
    if (!claims) return undefined;
    return principalOf(claims, await liveGrant(this.pool, claims));
  }

  /** A token an A2A client got with its credentials, for the A2A endpoint only, while its consent is live. */
  async verifyA2a(token: string): Promise<OAuthPrincipal | undefined> {
    const claims = await this.claims(token, { audience: this.config.a2aUrl });
    if (!claims) return undefined;
    return principalOf(claims, await liveA2aConsent(this.pool, claims));
  }
}

function principalOf(claims: AccessTokenClaims, grant: LiveGrant | undefined): OAuthPrincipal | undefined {
  if (!grant) return undefined;
  return {
    userId: claims.sub,
    account: grant.account,
    tenant: grant.tenant,
    tier: grant.tier,
    scopes: parseScope(claims.scope),
    via: "oauth",
    clientId: claims.client_id,
    expiresAt: new Date(claims.exp * 1000),
    credentialEpoch: grant.credentialEpoch,
  };
}

interface LiveGrant {
  tier: Tier;
  account: PrincipalAccount;
  tenant: PrincipalTenant;
  credentialEpoch: string;
}

/** What both token kinds' liveness queries read: users u, tenants t (and tenant_memberships m) joined. */
const LIVE_GRANT_COLUMNS = `u.tier, ${PRINCIPAL_ACCOUNT_SQL} AS account,
       json_build_object('id', t.id, 'slug', t.slug, 'name', t.name, 'tier', t.tier) AS tenant,
       ${CREDENTIAL_EPOCH_SQL} AS "credentialEpoch"`;

/**
 * The user's tier and account, the tenant and the credential epoch when the token's grant is unrevoked,
 * the user enabled and the token itself not revoked. The membership always exists: a family row is
 * deleted with it (foreign key cascade).
 */
async function liveGrant(db: Queryable, claims: AccessTokenClaims): Promise<LiveGrant | undefined> {
  const { rows } = await db.query<LiveGrant>({
    // Named: on every request, so each connection parses and plans it once.
    name: "live-access-token-grant",
    text: `SELECT ${LIVE_GRANT_COLUMNS}
     FROM oauth2_token_families f JOIN users u ON u.id = f.user_id JOIN tenants t ON t.id = f.tenant_id
       JOIN tenant_memberships m ON m.tenant_id = f.tenant_id AND m.user_id = f.user_id
     WHERE f.id = $1 AND f.user_id = $2 AND f.tenant_id = $3 AND f.client_id = $4
       AND f.revoked_at IS NULL AND u.disabled_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM oauth2_revoked_access_tokens r WHERE r.jti = $5)`,
    values: [claims.family_id, claims.sub, claims.tenant_id, claims.client_id, claims.jti],
  });
  return rows[0];
}

/** As liveGrant, for an A2A token: its family is the consent (a2a_sessions), live, unexpired, of an unrevoked client. */
async function liveA2aConsent(db: Queryable, claims: AccessTokenClaims): Promise<LiveGrant | undefined> {
  const { rows } = await db.query<LiveGrant>({
    name: "live-a2a-token-consent",
    text: `SELECT ${LIVE_GRANT_COLUMNS}
     FROM a2a_sessions s JOIN a2a_clients c ON c.id = s.client_id AND c.tenant_id = s.tenant_id
       JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = s.tenant_id
       JOIN tenant_memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
     WHERE s.id = $1 AND s.user_id = $2 AND s.tenant_id = $3 AND s.client_id::text = $4
       AND s.revoked_at IS NULL AND s.expires_at > now() AND c.revoked_at IS NULL AND u.disabled_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM oauth2_revoked_access_tokens r WHERE r.jti = $5)`,
    values: [claims.family_id, claims.sub, claims.tenant_id, claims.client_id, claims.jti],
  });
  return rows[0];
}

/** RFC 7009 for an access token: remembered until it would have expired anyway. */
export async function revokeAccessToken(db: Queryable, claims: AccessTokenClaims): Promise<void> {
  await db.query(
    `INSERT INTO oauth2_revoked_access_tokens (jti, expires_at) VALUES ($1, to_timestamp($2)) ON CONFLICT (jti) DO NOTHING`,
    [claims.jti, claims.exp],
  );
}
