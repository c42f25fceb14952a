// What the token and revocation endpoints do, once the client is authenticated and the parameters
// parsed: authorization_code and refresh_token grants (RFC 6749 §4.1.3, §6), the client_credentials grant
// of A2A clients (§4.4, a2a-clients.ts) and revocation (RFC 7009).
// Each grant runs in one transaction with the code or refresh token row-locked, so a replay racing the
// legitimate request cannot also succeed; a replay commits the revocation of the whole family.
import type pg from "pg";
import { withTransaction } from "../db/pool.js";
import { revokeAccessToken, type AccessTokens, type TokenSubject } from "./access-tokens.js";
import { recordAudit } from "../audit/trail.js";
import type { EventLog } from "../logging/events.js";
import { createAuthorizationCode, lockAuthorizationCode, markAuthorizationCodeConsumed } from "./authorization-codes.js";
import { completeAuthorizationRequest, type PendingAuthorization } from "./authorization-requests.js";
import { liveA2aConsent, type A2aClient } from "./a2a-clients.js";
import type { Client } from "./clients.js";
import { oauthError } from "./errors.js";
import { createRefreshToken, findRefreshToken, lockRefreshToken, markRefreshTokenRotated } from "./refresh-tokens.js";
import { formatScope, parseScope, scopesOutside } from "./scopes.js";
import { pkceVerifierMatches } from "./secrets.js";
import { createTokenFamily, revokeTokenFamily } from "./token-families.js";

/** RFC 6749 §5.1 */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

export interface CodeExchange {
  code: string;
  redirectUri: string;
  codeVerifier: string;
  resource?: string;
}

export interface Refresh {
  refreshToken: string;
  scope?: string;
  resource?: string;
}

/** A grant's outcome inside its transaction: failures are returned, not thrown, so revocations commit. */
type Outcome = { tokens: TokenResponse } | { error: ReturnType<typeof oauthError> };

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

function invalidGrant(description: string): Outcome {
  return { error: oauthError("invalid_grant", description) };
}

export class Grants {
  constructor(
    private readonly pool: pg.Pool,
    private readonly accessTokens: AccessTokens,
    private readonly log: EventLog,
  ) {}

  /**
   * The user signed in and consented: finishes the pending request and issues its code, in one
   * transaction so a form posted twice yields one code. Undefined when the request was already finished.
   */
  approve(pending: PendingAuthorization, owner: { userId: string; tenantId: string }, ip?: string): Promise<string | undefined> {
    return withTransaction(this.pool, async (db) => {
      if (!(await completeAuthorizationRequest(db, pending.idHash))) return undefined;
      const code = await createAuthorizationCode(db, { ...pending, ...owner });
      await recordAudit(db, this.log, {
        type: "oauth.login_succeeded", ...owner, target: pending.clientId, details: { scope: formatScope(pending.scopes) }, ip,
      });
      return code;
    });
  }

  async exchangeCode(client: Client, request: CodeExchange, ip?: string): Promise<TokenResponse> {
    return this.settle(
      withTransaction(this.pool, async (db): Promise<Outcome> => {
        const code = await lockAuthorizationCode(db, request.code);
        if (!code) return invalidGrant("unknown authorization code");
        if (code.consumed) {
          // RFC 6749 §4.1.2: a code used twice revokes what it produced; the code may have been stolen.
          if (code.familyId) await revokeTokenFamily(db, this.log, code.familyId, "code_reuse", ip);
          return invalidGrant("authorization code was already used; tokens issued from it are revoked");
        }
        if (code.clientId !== client.clientId) return invalidGrant("authorization code was issued to another client");
        if (code.unusable) return invalidGrant("authorization code expired");
        if (code.redirectUri !== request.redirectUri) return invalidGrant("redirect_uri does not match the authorization request");
        if (!pkceVerifierMatches(request.codeVerifier, code.codeChallenge)) return invalidGrant("code_verifier does not match the code_challenge");
        if (request.resource !== undefined && request.resource !== code.resource) {
          return { error: oauthError("invalid_target", "resource does not match the authorization request") };
        }
        const familyId = await createTokenFamily(db, code);
        await markAuthorizationCodeConsumed(db, code.codeHash, familyId);
        const refreshToken = client.grantTypes.includes("refresh_token")
          ? await createRefreshToken(db, { ...code, familyId })
          : undefined;
        return { tokens: await this.tokenResponse({ ...code, familyId }, code.scopes, refreshToken) };
      }),
    );
  }

  async refresh(client: Client, request: Refresh, ip?: string): Promise<TokenResponse> {
    return this.settle(
      withTransaction(this.pool, async (db): Promise<Outcome> => {
        const token = await lockRefreshToken(db, request.refreshToken);
        if (!token || token.clientId !== client.clientId) return invalidGrant("unknown refresh token");
        if (token.rotated) {
          // Only one party can hold the current token; a rotated one coming back means it leaked.
          await revokeTokenFamily(db, this.log, token.familyId, "refresh_token_reuse", ip);
          return invalidGrant("refresh token was already used; all tokens of this grant are revoked");
        }
        if (token.unusable) return invalidGrant("refresh token expired or revoked");
        // RFC 6749 §6: a narrower scope for this access token; the grant itself keeps its scope.
        const scopes = request.scope === undefined ? token.scopes : parseScope(request.scope);
        if (scopes.length === 0 || scopesOutside(scopes, token.scopes).length > 0) {
          return { error: oauthError("invalid_scope", `scope must be a subset of: ${formatScope(token.scopes)}`) };
        }
        if (request.resource !== undefined && request.resource !== token.resource) {
          return { error: oauthError("invalid_target", "resource does not match the grant") };
        }
        await markRefreshTokenRotated(db, token.tokenHash);
        const next = await createRefreshToken(db, token);
        return { tokens: await this.tokenResponse(token, scopes, next) };
      }),
    );
  }

  /**
   * RFC 7009: a refresh token revokes its whole family (and so its access tokens); an access token is
   * revoked by itself. Tokens that are unknown, malformed or another client's are ignored (200 anyway).
   */
  /**
   * RFC 6749 §4.4 for an A2A client: an access token for the A2A endpoint (no refresh token: the client
   * asks again), acting for the user whose consent is live, with the requested scopes (all the consent's
   * when none are named), never more than the consent's.
   */
  async clientCredentials(client: A2aClient, requestedScope: string | undefined, audience: string): Promise<TokenResponse> {
    const consent = await liveA2aConsent(this.pool, client);
    if (!consent) throw oauthError("invalid_grant", "no user has granted this client access (admin: grant-a2a-access)");
    const requested = requestedScope === undefined ? consent.scopes : parseScope(requestedScope);
    const beyond = scopesOutside(requested, consent.scopes);
    if (beyond.length) throw oauthError("invalid_scope", `not granted to this client: ${beyond.join(" ")}`);
    const subject = { userId: consent.userId, tenantId: consent.tenantId, clientId: client.id, familyId: consent.id };
    const { accessToken, expiresIn } = await this.accessTokens.issue(subject, requested, audience);
    return { access_token: accessToken, token_type: "Bearer", expires_in: expiresIn, scope: formatScope(requested) };
  }

  async revoke(client: Client, token: string, ip?: string): Promise<void> {
    if (JWT_SHAPE.test(token)) {
      const claims = await this.accessTokens.claims(token, { ignoreExpiration: true });
      if (claims && claims.client_id === client.clientId && claims.exp * 1000 > Date.now()) await revokeAccessToken(this.pool, claims);
      return;
    }
    const refreshToken = await findRefreshToken(this.pool, token);
    if (refreshToken?.clientId !== client.clientId) return;
    await withTransaction(this.pool, (db) => revokeTokenFamily(db, this.log, refreshToken.familyId, "client_revocation", ip));
  }

  private async tokenResponse(subject: TokenSubject, scopes: string[], refreshToken: string | undefined): Promise<TokenResponse> {
    const { accessToken, expiresIn } = await this.accessTokens.issue(subject, scopes);
    return {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: expiresIn,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      scope: formatScope(scopes),
    };
  }

  private async settle(outcome: Promise<Outcome>): Promise<TokenResponse> {
    const result = await outcome;
    if ("error" in result) throw result.error;
    return result.tokens;
  }
}
