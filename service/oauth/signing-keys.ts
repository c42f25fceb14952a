// RS256 signing keys shared by every instance through rsa_keypairs. The private key is stored sealed
// by the Keyring (AAD names the row); the active key is the newest unretired one and is replaced once
// it is SIGNING_KEY_MAX_AGE_DAYS old. A replaced key keeps verifying, and stays in the JWKS, until its
// verify_until. Each instance caches keys for SIGNING_KEY_CACHE_TTL_MS and looks up unknown kids at once.
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type JsonWebKey, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type pg from "pg";
import type { Keyring } from "../crypto/envelope.js";
import { withTransaction, type Queryable } from "../db/pool.js";
import { recordAudit } from "../audit/trail.js";
import type { EventLog } from "../logging/events.js";
import { RETIRED_KEY_GRACE_SECONDS, SIGNING_KEY_CACHE_TTL_MS, SIGNING_KEY_MAX_AGE_DAYS } from "./lifetimes.js";

const generateRsaKeyPair = promisify(generateKeyPair);
const KID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

interface VerificationKey {
  publicKey: KeyObject;
  /** Epoch ms after which the key no longer verifies; null while it is the active key. */
  verifyUntil: number | null;
}

interface KeyRow {
  kid: string;
  publicKeyPem: string;
  privateKeyCiphertext: Buffer;
  dataKeyId: string;
  verifyUntil: Date | null;
}

const KEY_COLUMNS = `kid, public_key_pem AS "publicKeyPem", private_key_ciphertext AS "privateKeyCiphertext",
  data_key_id AS "dataKeyId", verify_until AS "verifyUntil"`;
const STILL_VERIFYING = "(verify_until IS NULL OR verify_until > now())";

/** The data the private key is bound to: a ciphertext moved to another row fails to decrypt. */
function privateKeyAad(kid: string): string {
  return `rsa_keypairs|${kid}`;
}

export class SigningKeys {
  private signing?: { key: SigningKey; fetchedAt: number };
  private verifying = new Map<string, VerificationKey>();
  private verifyingFetchedAt = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly keyring: Keyring | undefined,
    private readonly log: EventLog,
  ) {}

  /** The key to sign with now; creates the first key, or replaces one that is due, when needed. */
  async current(): Promise<SigningKey> {
    if (this.signing && Date.now() - this.signing.fetchedAt < SIGNING_KEY_CACHE_TTL_MS) return this.signing.key;
    const row = await activeKey(this.pool);
    const key = row ? await this.unseal(row) : await this.replaceActiveKey("scheduled");
    this.signing = { key, fetchedAt: Date.now() };
    return key;
  }

  /** Makes a fresh key active now (admin rotation). */
  async rotate(): Promise<{ kid: string }> {
    const key = await this.replaceActiveKey("manual");
    this.signing = { key, fetchedAt: Date.now() };
    return { kid: key.kid };
  }

  /** The public key for a token's kid, if that key still verifies. */
  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    if (!KID_PATTERN.test(kid)) return undefined;
    if (Date.now() - this.verifyingFetchedAt >= SIGNING_KEY_CACHE_TTL_MS) await this.reloadVerificationKeys();
    let key = this.verifying.get(kid);
    if (!key) {
      // A kid we have not seen: another instance may have just rotated.
      const { rows } = await this.pool.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM rsa_keypairs WHERE kid = $1 AND ${STILL_VERIFYING}`, [kid]);
      if (!rows[0]) return undefined;
      key = toVerificationKey(rows[0]);
      this.verifying.set(kid, key);
    }
    return key.verifyUntil === null || key.verifyUntil > Date.now() ? key.publicKey : undefined;
  }

  /** Every key that still verifies, as a JWK Set (RFC 7517); the active key always exists. */
  async jwks(): Promise<{ keys: JsonWebKey[] }> {
    await this.current();
    const { rows } = await this.pool.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM rsa_keypairs WHERE ${STILL_VERIFYING} ORDER BY created_at DESC`);
    return {
      keys: rows.map((row) => ({ ...createPublicKey(row.publicKeyPem).export({ format: "jwk" }), kid: row.kid, use: "sig", alg: "RS256" })),
    };
  }

  private async reloadVerificationKeys(): Promise<void> {
    const { rows } = await this.pool.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM rsa_keypairs WHERE ${STILL_VERIFYING}`);
    this.verifying = new Map(rows.map((row) => [row.kid, toVerificationKey(row)]));
    this.verifyingFetchedAt = Date.now();
  }

  /**
   * Retires the active key (if any) and creates a new one. Serialized by an advisory lock so instances
   * starting together create one key; a scheduled replacement re-checks under the lock and keeps a key
   * that another instance created meanwhile.
   */
  private async replaceActiveKey(reason: "scheduled" | "manual"): Promise<SigningKey> {
    const keyring = this.requireKeyring();
    return withTransaction(this.pool, async (db) => {
      await db.query("SELECT pg_advisory_xact_lock(hashtext('pierre.rsa_keypairs'))");
      if (reason === "scheduled") {
        const fresh = await activeKey(db);
        if (fresh) return this.unseal(fresh);
      }
      const { rows: retired } = await db.query<{ kid: string }>(
        `UPDATE rsa_keypairs SET retired_at = now(), verify_until = now() + make_interval(secs => $1)
         WHERE retired_at IS NULL RETURNING kid`,
        [RETIRED_KEY_GRACE_SECONDS],
      );
      const { publicKey, privateKey } = await generateRsaKeyPair("rsa", { modulusLength: 2048 });
      const kid = jwkThumbprint(publicKey);
      const sealed = await keyring.encrypt(privateKey.export({ format: "pem", type: "pkcs8" }), privateKeyAad(kid));
      await db.query(
        `INSERT INTO rsa_keypairs (kid, public_key_pem, private_key_ciphertext, data_key_id) VALUES ($1, $2, $3, $4)`,
        [kid, publicKey.export({ format: "pem", type: "spki" }), sealed.ciphertext, sealed.dataKeyId],
      );
      await recordAudit(db, this.log, { type: "oauth.signing_key_rotated", target: kid, details: { reason, retired: retired.map((row) => row.kid) } });
      return { kid, privateKey };
    });
  }

  private async unseal(row: KeyRow): Promise<SigningKey> {
    if (this.signing?.key.kid === row.kid) return this.signing.key;
    const pem = await this.requireKeyring().decrypt({ dataKeyId: row.dataKeyId, ciphertext: row.privateKeyCiphertext }, privateKeyAad(row.kid));
    return { kid: row.kid, privateKey: createPrivateKey(pem) };
  }

  private requireKeyring(): Keyring {
    if (!this.keyring) throw new Error("signing keys need an encryption master key (TOKEN_ENCRYPTION_KEY)");
    return this.keyring;
  }
}

/** The newest unretired key unless it is due for replacement. */
async function activeKey(db: Queryable): Promise<KeyRow | undefined> {
  const { rows } = await db.query<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM rsa_keypairs
     WHERE retired_at IS NULL AND created_at > now() - make_interval(days => $1)
     ORDER BY created_at DESC LIMIT 1`,
    [SIGNING_KEY_MAX_AGE_DAYS],
  );
  return rows[0];
}

function toVerificationKey(row: KeyRow): VerificationKey {
  return { publicKey: createPublicKey(row.publicKeyPem), verifyUntil: row.verifyUntil?.getTime() ?? null };
}

/** RFC 7638 thumbprint: a kid derived from the key itself. */
function jwkThumbprint(publicKey: KeyObject): string {
  const { e, kty, n } = publicKey.export({ format: "jwk" });
  return createHash("sha256").update(JSON.stringify({ e, kty, n })).digest("base64url");
}
