// API keys: `pk_live_<8 id chars>_<43 secret chars>`. The visible prefix identifies the key; only a
// SHA-256 of the whole key is stored (the key is 256 random bits, so a slow hash adds nothing).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Queryable } from "../db/pool.js";
import { CREDENTIAL_EPOCH_SQL } from "./credential-epoch.js";
import { PRINCIPAL_ACCOUNT_SQL, type Principal, type PrincipalAccount, type PrincipalTenant } from "./principal.js";
import { SCOPES } from "./scopes.js";
import type { Tier } from "./tiers.js";

/** Every issued key starts with this; it tells a key from a JWT in an Authorization header. */
export const API_KEY_PREFIX = "pk_live_";
export const API_KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$`);
const PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
const LAST_USED_RESOLUTION_SECONDS = 60;

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  userId: string;
  name: string;
  prefix: string;
  tier: Tier | null;
  burstPerMinute: number | null;
  monthlyQuota: number | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewApiKey {
  tenantId: string;
  userId: string;
  name: string;
  tier?: Tier;
  burstPerMinute?: number;
  monthlyQuota?: number;
  expiresAt?: Date;
}

function columns(table = "api_keys"): string {
  return `${table}.id, ${table}.tenant_id AS "tenantId", ${table}.user_id AS "userId", ${table}.name,
    ${table}.prefix, ${table}.tier, ${table}.burst_per_minute AS "burstPerMinute",
    ${table}.monthly_quota AS "monthlyQuota", ${table}.created_at AS "createdAt", ${table}.expires_at AS "expiresAt",
    ${table}.last_used_at AS "lastUsedAt", ${table}.revoked_at AS "revokedAt"`;
}

function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Creates a key and returns it in plaintext exactly once, with its stored record. */
export async function createApiKey(db: Queryable, input: NewApiKey): Promise<{ key: string; record: ApiKeyRecord }> {
  const prefix = `${API_KEY_PREFIX}${randomBytes(6).toString("base64url").replace(/[-_]/g, "0").slice(0, 8)}`;
  const key = `${prefix}_${randomBytes(32).toString("base64url")}`;
  const { rows } = await db.query<ApiKeyRecord>(
    `INSERT INTO api_keys (tenant_id, user_id, name, prefix, key_hash, tier, burst_per_minute, monthly_quota, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${columns()}`,
    [input.tenantId, input.userId, input.name, prefix, hashKey(key), input.tier ?? null,
      input.burstPerMinute ?? null, input.monthlyQuota ?? null, input.expiresAt ?? null],
  );
  return { key, record: rows[0] };
}

/**
 * The principal for a valid, unrevoked, unexpired key of an enabled user, with its account and tenant, in
 * one query. The user still belongs to the tenant: a key is deleted with its membership (foreign key cascade).
 */
export async function authenticateApiKey(db: Queryable, key: string): Promise<Principal | undefined> {
  if (!API_KEY_PATTERN.test(key)) return undefined;
  const prefix = key.slice(0, PREFIX_LENGTH);
  const { rows } = await db.query<
    ApiKeyRecord & { keyHash: string; userTier: Tier; lastUsedStale: boolean; account: PrincipalAccount; tenant: PrincipalTenant; credentialEpoch: string }
  >({
    // Named: on every request, so each connection parses and plans it once.
    name: "authenticate-api-key",
    text: `SELECT ${columns("k")}, k.key_hash AS "keyHash", u.tier AS "userTier",
       (k.last_used_at IS NULL OR k.last_used_at < now() - make_interval(secs => $2)) AS "lastUsedStale",
       ${PRINCIPAL_ACCOUNT_SQL} AS account,
       json_build_object('id', t.id, 'slug', t.slug, 'name', t.name, 'tier', t.tier) AS tenant,
       ${CREDENTIAL_EPOCH_SQL} AS "credentialEpoch"
     FROM api_keys k JOIN users u ON u.id = k.user_id JOIN tenants t ON t.id = k.tenant_id
       JOIN tenant_memberships m ON m.tenant_id = k.tenant_id AND m.user_id = k.user_id
     WHERE k.prefix = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
       AND u.disabled_at IS NULL`,
    values: [prefix, LAST_USED_RESOLUTION_SECONDS],
  });
  const row = rows[0];
  if (!row || !timingSafeEqual(Buffer.from(row.keyHash, "hex"), Buffer.from(hashKey(key), "hex"))) return undefined;
  // Recorded at minute resolution so a busy key does not write on every request (and only when a key is
  // verified, which the MCP endpoint's credential cache does about once a minute per instance).
  if (row.lastUsedStale) await db.query("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [row.id]);
  return {
    userId: row.userId,
    account: row.account,
    tenant: row.tenant,
    tier: row.tier ?? row.userTier,
    scopes: [...SCOPES],
    via: "api_key",
    apiKey: { id: row.id, burstPerMinute: row.burstPerMinute, monthlyQuota: row.monthlyQuota },
    ...(row.expiresAt ? { expiresAt: row.expiresAt } : {}),
    credentialEpoch: row.credentialEpoch,
  };
}

export async function listApiKeys(db: Queryable, tenantId: string, userId?: string): Promise<ApiKeyRecord[]> {
  const { rows } = await db.query<ApiKeyRecord>(
    `SELECT ${columns()} FROM api_keys WHERE tenant_id = $1 AND ($2::uuid IS NULL OR user_id = $2) ORDER BY created_at`,
    [tenantId, userId ?? null],
  );
  return rows;
}

/** Revokes a key of this tenant by its visible prefix; false when the tenant has no such active key. */
export async function revokeApiKey(db: Queryable, tenantId: string, prefix: string): Promise<boolean> {
  const result = await db.query(
    "UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1 AND prefix = $2 AND revoked_at IS NULL",
    [tenantId, prefix],
  );
  return result.rowCount === 1;
}
