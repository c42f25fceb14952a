// The provider connect flow: start (state + PKCE + the provider's authorization URL) and complete (the
// callback: consume the state, exchange the code, store the tokens, mark the connection connected, tell
// the user's open notification streams). A provider that needs no browser (synthetic) completes at once.
import type pg from "pg";
import { recordAudit } from "../audit/trail.js";
import type { Keyring } from "../crypto/envelope.js";
import { withTransaction } from "../db/pool.js";
import { sweeper } from "../db/sweeper.js";
import type { EventLog } from "../logging/events.js";
import type { Logger } from "../logging/index.js";
import { ProviderError } from "../providers/errors.js";
import type { ProviderRegistry } from "../providers/index.js";
import { createPkcePair, randomState } from "../providers/pkce.js";
import { deleteConnection, findConnection, saveConnected, type Connection, type Owner } from "./connections.js";
import type { ProviderId } from "./model.js";
import { publishConnectionEvent } from "./notifier.js";
import { consumeState, deleteAbandonedStates, saveState, STATE_LIFETIME_SECONDS } from "./oauth-states.js";
import type { TokenVault } from "./token-vault.js";

export interface ConnectDeps {
  pool: pg.Pool;
  keyring: Keyring;
  vault: TokenVault;
  registry: ProviderRegistry;
  /** Origin the providers redirect back to. */
  redirectBase: string;
  /** Where the audit trail's security_event lines go. */
  log: EventLog & Pick<Logger, "warn">;
}

/** What the callback found, for the result page and the tool. */
export type ConnectOutcome =
  | { outcome: "connected"; provider: ProviderId; connection: Connection }
  | { outcome: "denied"; provider: ProviderId }
  | { outcome: "provider_error"; provider: ProviderId; error: string }
  | { outcome: "invalid_state"; provider: ProviderId; reason: "expired" | "unknown" }
  | { outcome: "failed"; provider: ProviderId; reason: string };

export type StartOutcome = { kind: "authorize"; authorizationUrl: string; expiresInSeconds: number } | { kind: "completed"; result: ConnectOutcome };

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  scope?: string;
}

export interface ConnectService {
  /** undefined: the provider is not configured on this deployment. */
  start(owner: Owner, provider: ProviderId): Promise<StartOutcome | undefined>;
  complete(provider: ProviderId, query: CallbackQuery): Promise<ConnectOutcome>;
  redirectUri(provider: ProviderId): string;
  /**
   * Revokes the grant at the provider where it can (best effort: a provider that is down must not keep a
   * user from leaving), then deletes the connection with its tokens and cached data. false: none existed.
   */
  disconnect(owner: Owner, provider: ProviderId): Promise<{ deleted: boolean; revoked: boolean }>;
}

export function createConnectService(deps: ConnectDeps): ConnectService {
  const redirectUri = (provider: ProviderId) => `${deps.redirectBase}/api/oauth/callback/${provider}`;
  const cleanUpIfDue = sweeper(60_000, () => deleteAbandonedStates(deps.pool), (error) => deps.log.warn("deleting abandoned provider authorizations failed", { error }));

  async function complete(provider: ProviderId, query: CallbackQuery): Promise<ConnectOutcome> {
    const client = deps.registry.get(provider);
    if (!client || !query.state) return { outcome: "invalid_state", provider, reason: "unknown" };
    cleanUpIfDue();
    const state = await consumeState(deps.pool, deps.keyring, provider, query.state);
    if (state.outcome !== "valid") return { outcome: "invalid_state", provider, reason: state.outcome };
    if (query.error) return query.error === "access_denied" ? { outcome: "denied", provider } : { outcome: "provider_error", provider, error: query.error };
    if (!query.code) return { outcome: "provider_error", provider, error: "no authorization code in the callback" };

    let grant;
    try {
      grant = await client.exchangeCode({ code: query.code, redirectUri: redirectUri(provider), codeVerifier: state.verifier, callbackScope: query.scope });
    } catch (error) {
      if (error instanceof ProviderError) return { outcome: "failed", provider, reason: error.message };
      throw error;
    }
    const connection = await withTransaction(deps.pool, async (db) => {
      const saved = await saveConnected(db, state.owner, provider, grant);
      await deps.vault.store(db, saved, grant);
      await recordAudit(db, deps.log, { type: "provider.connected", tenantId: state.owner.tenantId, userId: state.owner.userId, target: provider, details: { scopes: saved.scopes } });
      // Delivered at commit, to every instance's listeners (notifier.ts).
      await publishConnectionEvent(db, { ...state.owner, provider, status: "connected" });
      return saved;
    });
    return { outcome: "connected", provider, connection };
  }

  async function disconnect(owner: Owner, provider: ProviderId): Promise<{ deleted: boolean; revoked: boolean }> {
    const connection = await findConnection(deps.pool, owner, provider);
    if (!connection) return { deleted: false, revoked: false };
    const client = deps.registry.get(provider);
    let revoked = false;
    if (client?.capabilities.revoke) {
      const tokens = await deps.vault.read(deps.pool, connection).catch(() => undefined);
      if (tokens) revoked = await client.revoke(tokens).then(() => true, () => false);
    }
    const deleted = await withTransaction(deps.pool, async (db) => {
      const gone = await deleteConnection(db, owner, provider);
      if (gone) {
        await recordAudit(db, deps.log, { type: "provider.disconnected", tenantId: owner.tenantId, userId: owner.userId, target: provider, details: { revokedAtProvider: revoked } });
        await publishConnectionEvent(db, { ...owner, provider, status: "disconnected" });
      }
      return gone;
    });
    return { deleted, revoked };
  }

  return {
    redirectUri,
    complete,
    disconnect,
    async start(owner, provider) {
      const client = deps.registry.get(provider);
      if (!client) return undefined;
      const state = randomState();
      const pkce = createPkcePair();
      await saveState(deps.pool, deps.keyring, owner, provider, state, pkce.verifier);
      const url = client.authorizationUrl({
        state,
        redirectUri: redirectUri(provider),
        codeChallenge: pkce.challenge,
        subject: `${owner.tenantId}:${owner.userId}`,
      });
      if (client.capabilities.browser) return { kind: "authorize", authorizationUrl: url.toString(), expiresInSeconds: STATE_LIFETIME_SECONDS };
      // No consent screen: the "redirect" already carries the code; complete it here.
      const query = Object.fromEntries(url.searchParams) as CallbackQuery;
      return { kind: "completed", result: await complete(provider, query) };
    },
  };
}
