// provider_oauth_states: the server side of a started provider authorization. The state travels through
// the user's browser, so only its SHA-256 is stored; the PKCE verifier is sealed (AAD = that hash).
import { createHash } from "node:crypto";
import type { Keyring } from "../crypto/envelope.js";
import type { Queryable } from "../db/pool.js";
import type { Owner } from "./connections.js";
import type { ProviderId } from "./model.js";

/** How long a user has to finish the provider's consent screen. */
export const STATE_LIFETIME_SECONDS = 600;

const hashOf = (state: string) => createHash("sha256").update(state).digest("base64url");
const verifierAad = (stateHash: string) => `provider_oauth_states|${stateHash}`;

export async function saveState(db: Queryable, keyring: Keyring, owner: Owner, provider: ProviderId, state: string, verifier: string): Promise<void> {
  const stateHash = hashOf(state);
  const sealed = await keyring.encrypt(verifier, verifierAad(stateHash));
  await db.query(
    `INSERT INTO provider_oauth_states (state_hash, tenant_id, user_id, provider, data_key_id, verifier_ciphertext, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
    [stateHash, owner.tenantId, owner.userId, provider, sealed.dataKeyId, sealed.ciphertext, STATE_LIFETIME_SECONDS],
  );
}

export type ConsumedState = { outcome: "valid"; owner: Owner; verifier: string } | { outcome: "expired" | "unknown" };

/** Deletes the state whatever it holds (single use: a replay finds nothing) and says whether it was valid for this provider. */
export async function consumeState(db: Queryable, keyring: Keyring, provider: ProviderId, state: string): Promise<ConsumedState> {
  const stateHash = hashOf(state);
  const { rows } = await db.query<{ tenant_id: string; user_id: string; provider: string; data_key_id: string; verifier_ciphertext: Buffer; expired: boolean }>(
    `DELETE FROM provider_oauth_states WHERE state_hash = $1
     RETURNING tenant_id, user_id, provider, data_key_id, verifier_ciphertext, expires_at <= now() AS expired`,
    [stateHash],
  );
  const row = rows[0];
  if (!row || row.provider !== provider) return { outcome: "unknown" };
  if (row.expired) return { outcome: "expired" };
  const verifier = await keyring.decrypt({ dataKeyId: row.data_key_id, ciphertext: row.verifier_ciphertext }, verifierAad(stateHash));
  return { outcome: "valid", owner: { tenantId: row.tenant_id, userId: row.user_id }, verifier: verifier.toString("utf8") };
}

/** Authorizations nobody finished. Kept a day past expiry, so a late callback still reads "expired", not "unknown". */
export async function deleteAbandonedStates(db: Queryable): Promise<void> {
  await db.query("DELETE FROM provider_oauth_states WHERE expires_at < now() - interval '1 day'");
}
