// Envelope encryption for secrets at rest (provider tokens, JWT signing keys): AES-256-GCM under a data
// key; data keys are stored wrapped by the master key. Additional authenticated data binds a ciphertext
// to its row, so a ciphertext copied to another row or table fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { withTransaction } from "../db/pool.js";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  dataKeyId: string;
  ciphertext: Buffer;
}

/** nonce | ciphertext | tag */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error("ciphertext too short");
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

/**
 * Data keys live in Postgres (shared by every instance); unwrapped copies are cached per process,
 * which is safe because a data key never changes once written.
 */
export class Keyring {
  private readonly unwrapped = new Map<string, Buffer>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly masterKey: Buffer,
  ) {}

  async encrypt(plaintext: string | Buffer, aad: string): Promise<Sealed> {
    const { id, key } = await this.activeDataKey();
    return { dataKeyId: id, ciphertext: seal(key, Buffer.from(plaintext), aad) };
  }

  /** Seals several values under one data key (a row stores one data_key_id for all its columns). */
  async sealer(): Promise<{ dataKeyId: string; seal(plaintext: string | Buffer, aad: string): Buffer }> {
    const { id, key } = await this.activeDataKey();
    return { dataKeyId: id, seal: (plaintext, aad) => seal(key, Buffer.from(plaintext), aad) };
  }

  /**
   * Re-wraps every data key under `newMasterKey` in one transaction; the data they encrypt is untouched.
   * Fails (and changes nothing) if any key does not unwrap with the current master key. Returns the count.
   */
  async rotateMasterKey(newMasterKey: Buffer): Promise<number> {
    if (newMasterKey.length !== 32) throw new Error("the new master key must be 32 bytes");
    return withTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('pierre.data_encryption_keys'))");
      const { rows } = await client.query<{ id: string; wrapped_key: Buffer }>("SELECT id, wrapped_key FROM data_encryption_keys FOR UPDATE");
      for (const row of rows) {
        let key: Buffer;
        try {
          key = open(this.masterKey, row.wrapped_key, wrapAad(row.id));
        } catch {
          throw new Error(`data key ${row.id} does not unwrap with the current master key; nothing was changed`);
        }
        await client.query("UPDATE data_encryption_keys SET wrapped_key = $2 WHERE id = $1", [row.id, seal(newMasterKey, key, wrapAad(row.id))]);
      }
      return rows.length;
    });
  }

  async decrypt(sealed: Sealed, aad: string): Promise<Buffer> {
    return open(await this.dataKey(sealed.dataKeyId), sealed.ciphertext, aad);
  }

  private async dataKey(id: string): Promise<Buffer> {
    const cached = this.unwrapped.get(id);
    if (cached) return cached;
    const { rows } = await this.pool.query<{ wrapped_key: Buffer }>(
      "SELECT wrapped_key FROM data_encryption_keys WHERE id = $1",
      [id],
    );
    if (!rows[0]) throw new Error(`unknown data key ${id}`);
    return this.remember(id, rows[0].wrapped_key);
  }

  private async activeDataKey(): Promise<{ id: string; key: Buffer }> {
    const select = "SELECT id, wrapped_key FROM data_encryption_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1";
    const existing = await this.pool.query<{ id: string; wrapped_key: Buffer }>(select);
    if (existing.rows[0]) return { id: existing.rows[0].id, key: this.remember(existing.rows[0].id, existing.rows[0].wrapped_key) };

    // First use: create one key, serialized so concurrent instances do not each create their own.
    const row = await withTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('pierre.data_encryption_keys'))");
      const again = await client.query<{ id: string; wrapped_key: Buffer }>(select);
      if (again.rows[0]) return again.rows[0];
      const id = randomUUID();
      const wrapped = seal(this.masterKey, randomBytes(32), wrapAad(id));
      await client.query("INSERT INTO data_encryption_keys (id, wrapped_key) VALUES ($1, $2)", [id, wrapped]);
      return { id, wrapped_key: wrapped };
    });
    return { id: row.id, key: this.remember(row.id, row.wrapped_key) };
  }

  private remember(id: string, wrapped: Buffer): Buffer {
    const key = open(this.masterKey, wrapped, wrapAad(id));
    this.unwrapped.set(id, key);
    return key;
  }
}

function wrapAad(dataKeyId: string): string {
  return `data_encryption_keys|${dataKeyId}`;
}
