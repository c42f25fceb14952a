// Provider tokens at rest: user_oauth_tokens, AES-256-GCM under the keyring's data keys (crypto/envelope.ts).
// The AAD binds each ciphertext to tenant|user|provider|column, so a ciphertext copied to another user's row
// or to the other column fails to decrypt instead of handing one user's grant to another.
import type { Keyring } from "../crypto/envelope.js";
import type { Queryable } from "../db/pool.js";
import type { Connection } from "./connections.js";

export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

type TokenOwner = Pick<Connection, "id" | "tenantId" | "userId" | "provider">;
type Column = "access_token" | "refresh_token";

/** A stored token that cannot be opened (tampered, copied, or sealed under a key no longer held). */
export class TokenVaultError extends Error {}

export function tokenAad(owner: TokenOwner, column: Column): string {
  return `${owner.tenantId}|${owner.userId}|${owner.provider}|${column}`;
}

interface Row {
  data_key_id: string;
  access_token_ciphertext: Buffer;
  refresh_token_ciphertext: Buffer | null;
  expires_at: Date | null;
}

export class TokenVault {
  constructor(private readonly keyring: Keyring) {}

  async store(db: Queryable, owner: TokenOwner, tokens: StoredTokens): Promise<void> {
    const sealer = await this.keyring.sealer();
    const access = sealer.seal(tokens.accessToken, tokenAad(owner, "access_token"));
    const refresh = tokens.refreshToken === null ? null : sealer.seal(tokens.refreshToken, tokenAad(owner, "refresh_token"));
    await db.query(
      `INSERT INTO user_oauth_tokens (connection_id, tenant_id, user_id, provider, data_key_id, access_token_ciphertext, refresh_token_ciphertext, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (connection_id) DO UPDATE SET data_key_id = EXCLUDED.data_key_id, access_token_ciphertext = EXCLUDED.access_token_ciphertext,
         refresh_token_ciphertext = EXCLUDED.refresh_token_ciphertext, expires_at = EXCLUDED.expires_at, updated_at = now()`,
      [owner.id, owner.tenantId, owner.userId, owner.provider, sealer.dataKeyId, access, refresh, tokens.expiresAt],
    );
  }

  /** The tokens, or undefined when none are stored. `forUpdate` (inside a transaction) locks the row. */
  async read(db: Queryable, owner: TokenOwner, options: { forUpdate?: boolean } = {}): Promise<StoredTokens | undefined> {
    const { rows } = await db.query<Row>(
      `SELECT data_key_id, access_token_ciphertext, refresh_token_ciphertext, expires_at FROM user_oauth_tokens
       WHERE connection_id = $1 AND tenant_id = $2 AND user_id = $3${options.forUpdate ? " FOR UPDATE" : ""}`,
      [owner.id, owner.tenantId, owner.userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const open = async (ciphertext: Buffer, column: Column) => {
      try {
        return (await this.keyring.decrypt({ dataKeyId: row.data_key_id, ciphertext }, tokenAad(owner, column))).toString("utf8");
      } catch {
        throw new TokenVaultError(`the stored ${owner.provider} ${column.replace("_", " ")} cannot be decrypted`);
      }
    };
    return {
      accessToken: await open(row.access_token_ciphertext, "access_token"),
      refreshToken: row.refresh_token_ciphertext ? await open(row.refresh_token_ciphertext, "refresh_token") : null,
      expiresAt: row.expires_at,
    };
  }
}
