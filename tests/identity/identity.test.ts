import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../service/db/migrate.js";
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "../../service/identity/api-keys.js";
import { createTenant } from "../../service/identity/tenants.js";
import { addMembership, createUser, listMemberships, verifyCredentials } from "../../service/identity/users.js";
import { createTestDatabase } from "../support/database.js";

let pool: pg.Pool;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase(), max: 4 });
  await migrate(pool);
});
afterAll(() => pool.end());

async function member(slug: string, email: string) {
  const tenant = await createTenant(pool, { slug, name: slug, tier: "pro" });
  const user = await createUser(pool, { email, password: "correct horse battery", tier: "free" }, 4);
  await addMembership(pool, { tenantId: tenant.id, userId: user.id, role: "owner" });
  return { tenant, user };
}

describe("users", () => {
  it("verifies the password case-insensitively on email and rejects everything else", async () => {
    const { user } = await member("acme", "Runner@Example.com");
    expect((await verifyCredentials(pool, "runner@example.com", "correct horse battery", 4))?.id).toBe(user.id);
    expect(await verifyCredentials(pool, "runner@example.com", "wrong", 4)).toBeUndefined();
    expect(await verifyCredentials(pool, "nobody@example.com", "correct horse battery", 4)).toBeUndefined();
    const { rows } = await pool.query("SELECT password_hash FROM users WHERE id = $1", [user.id]);
    expect(rows[0].password_hash).toMatch(/^\$scrypt\$ln=4,r=8,p=1\$/);
  });

  it("rejects a second account with the same email in another casing", async () => {
    await expect(createUser(pool, { email: "RUNNER@example.com", password: "x".repeat(12) }, 4)).rejects.toMatchObject({ code: "23505" });
  });

  it("lists the tenants a user belongs to", async () => {
    const { tenant, user } = await member("memberships", "m@example.com");
    expect(await listMemberships(pool, user.id)).toEqual([{ tenantId: tenant.id, tenantSlug: "memberships", tenantName: "memberships", role: "owner" }]);
  });
});

describe("API keys", () => {
  it("authenticates a key once created, stores only its hash, and stops after revocation", async () => {
    const { tenant, user } = await member("keys", "keys@example.com");
    const { key, record } = await createApiKey(pool, { tenantId: tenant.id, userId: user.id, name: "laptop", burstPerMinute: 7 });
    expect(key.startsWith(`${record.prefix}_`)).toBe(true);
    const stored = await pool.query("SELECT key_hash FROM api_keys WHERE id = $1", [record.id]);
    expect(stored.rows[0].key_hash).not.toContain(key.slice(record.prefix.length + 1));

    const principal = await authenticateApiKey(pool, key);
    expect(principal).toMatchObject({ userId: user.id, tenant: { id: tenant.id }, tier: "free", via: "api_key", apiKey: { id: record.id, burstPerMinute: 7 } });
    const tampered = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
    expect(await authenticateApiKey(pool, tampered)).toBeUndefined();

    expect(await revokeApiKey(pool, tenant.id, record.prefix)).toBe(true);
    expect(await authenticateApiKey(pool, key)).toBeUndefined();
    expect(await revokeApiKey(pool, tenant.id, record.prefix)).toBe(false);
  });

  it("authenticates every generated key, whatever characters its secret part holds", async () => {
    const { tenant, user } = await member("many-keys", "many@example.com");
    const keys = await Promise.all(Array.from({ length: 24 }, (_, i) => createApiKey(pool, { tenantId: tenant.id, userId: user.id, name: `k${i}` })));
    expect(keys.some(({ key }) => key.slice(17).includes("_") || key.slice(17).includes("-"))).toBe(true);
    for (const { key, record } of keys) expect((await authenticateApiKey(pool, key))?.apiKey?.id).toBe(record.id);
  });

  it("rejects expired keys and keys whose user left the tenant", async () => {
    const { tenant, user } = await member("expiry", "expiry@example.com");
    const expired = await createApiKey(pool, { tenantId: tenant.id, userId: user.id, name: "old", expiresAt: new Date(Date.now() - 1000) });
    expect(await authenticateApiKey(pool, expired.key)).toBeUndefined();
    const live = await createApiKey(pool, { tenantId: tenant.id, userId: user.id, name: "live" });
    await pool.query("DELETE FROM tenant_memberships WHERE tenant_id = $1 AND user_id = $2", [tenant.id, user.id]);
    expect(await authenticateApiKey(pool, live.key)).toBeUndefined();
  });

  it("keeps tenants apart: one tenant can neither list nor revoke another's keys", async () => {
    const a = await member("tenant-a", "a@example.com");
    const b = await member("tenant-b", "b@example.com");
    const keyOfB = await createApiKey(pool, { tenantId: b.tenant.id, userId: b.user.id, name: "b" });
    expect(await listApiKeys(pool, a.tenant.id)).toEqual([]);
    expect(await revokeApiKey(pool, a.tenant.id, keyOfB.record.prefix)).toBe(false);
    expect(await authenticateApiKey(pool, keyOfB.key)).toMatchObject({ tenant: { id: b.tenant.id } });
    // A key can only be created for a user who is a member of that tenant.
    await expect(createApiKey(pool, { tenantId: a.tenant.id, userId: b.user.id, name: "cross" })).rejects.toMatchObject({ code: "23503" });
  });
});
