// Acting for a user at a provider: the access token from the vault, refreshed shortly before it expires
// (or once when the provider rejects it), serialized across instances by a row lock on the token row.
// Providers rotate refresh tokens and a second use of the old one can revoke the whole grant, so exactly
// one instance refreshes; the others wait on the lock and then read what it stored.
import type pg from "pg";
import { withTransaction } from "../db/pool.js";
import { emitEvent, tenantBucket, type EventLog } from "../logging/events.js";
import { AccessTokenRejectedError, ReauthorizationRequiredError } from "../providers/errors.js";
import type { ProviderAuth } from "../providers/types.js";
import type { ProviderRegistry } from "../providers/index.js";
import { markStatus, type Connection } from "./connections.js";
import { TokenVaultError, type StoredTokens, type TokenVault } from "./token-vault.js";

/** Refresh this long before the provider's expiry, so a token never expires in the middle of a sync. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface TokenAccessDeps {
  pool: pg.Pool;
  vault: TokenVault;
  registry: ProviderRegistry;
  now: () => number;
  /** provider_token_refresh events. */
  log: EventLog;
}

export interface TokenAccess {
  /**
   * Runs `call` with a valid token. A rejected token is refreshed and the call retried once; a dead grant
   * marks the connection reauthorization_required and throws ReauthorizationRequiredError.
   */
  withAuth<T>(connection: Connection, call: (auth: ProviderAuth) => Promise<T>): Promise<T>;
}

export function createTokenAccess(deps: TokenAccessDeps): TokenAccess {
  const dead = (connection: Connection) => new ReauthorizationRequiredError(connection.provider, "token", null);
  const expiring = (tokens: StoredTokens) => tokens.expiresAt !== null && tokens.expiresAt.getTime() - deps.now() < REFRESH_MARGIN_MS;

  async function read(connection: Connection): Promise<StoredTokens> {
    const tokens = await deps.vault.read(deps.pool, connection);
    if (!tokens) throw dead(connection);
    return tokens;
  }

  /** `rejected`: the access token the provider refused, which must not be handed out again. */
  function refresh(connection: Connection, rejected: string | null): Promise<string> {
    return withTransaction(deps.pool, async (db) => {
      const current = await deps.vault.read(db, connection, { forUpdate: true });
      if (!current) throw dead(connection);
      // Another instance refreshed while this one waited for the lock.
      if (current.accessToken !== rejected && !expiring(current)) return current.accessToken;
      const provider = deps.registry.get(connection.provider);
      if (!provider || current.refreshToken === null) throw dead(connection);
      const started = deps.now();
      const report = (outcome: "refreshed" | "revoked" | "failed") => {
        // The synthetic athlete's tokens never expire, so only real providers get here.
        if (connection.provider === "synthetic") return;
        emitEvent(deps.log, "provider_token_refresh", {
          provider: connection.provider,
          outcome,
          tenantBucket: tenantBucket(connection.tenantId),
          latencyMs: deps.now() - started,
        });
      };
      let grant;
      try {
        grant = await provider.refresh(current.refreshToken);
      } catch (error) {
        report(error instanceof ReauthorizationRequiredError ? "revoked" : "failed");
        throw error;
      }
      report("refreshed");
      await deps.vault.store(db, connection, {
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken ?? current.refreshToken,
        expiresAt: grant.expiresAt,
      });
      return grant.accessToken;
    });
  }

  async function withAuth<T>(connection: Connection, call: (auth: ProviderAuth) => Promise<T>): Promise<T> {
    try {
      const tokens = await read(connection);
      const accessToken = expiring(tokens) ? await refresh(connection, null) : tokens.accessToken;
      try {
        return await call({ accessToken });
      } catch (error) {
        if (!(error instanceof AccessTokenRejectedError)) throw error;
        return await call({ accessToken: await refresh(connection, accessToken) });
      }
    } catch (error) {
      if (error instanceof TokenVaultError || error instanceof AccessTokenRejectedError || error instanceof ReauthorizationRequiredError) {
        await markStatus(deps.pool, connection.id, "reauthorization_required", "the provider authorization was revoked or has expired");
        throw dead(connection);
      }
      throw error;
    }
  }

  return { withAuth };
}
