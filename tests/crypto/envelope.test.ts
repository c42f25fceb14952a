import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "../../service/crypto/envelope.js";
import { migrate } from "../../service/db/migrate.js";
import { createTestDatabase } from "../support/database.js";

// One deployment has one master key; the data key in this database is wrapped by it.
const master = randomBytes(32);
let pool: pg.Pool;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase(), max: 6 });
  await migrate(pool);
});
afterAll(() => pool.end());

describe("envelope encryption", () => {
  it("round-trips through a wrapped data key shared by instances with the same master key", async () => {
    const sealed = await new Keyring(pool, master).encrypt("strava-refresh-token", "t1|u1|strava|user_oauth_tokens");
    expect(sealed.ciphertext.includes(Buffer.from("strava-refresh-token"))).toBe(false);
    const otherInstance = new Keyring(pool, master);
    expect((await otherInstance.decrypt(sealed, "t1|u1|strava|user_oauth_tokens")).toString()).toBe("strava-refresh-token");
  });

  it("fails for another row's AAD, a tampered ciphertext or another master key", async () => {
    const keyring = new Keyring(pool, master);
    const sealed = await keyring.encrypt("secret", "t1|u1|strava|user_oauth_tokens");
    await expect(keyring.decrypt(sealed, "t1|u2|strava|user_oauth_tokens")).rejects.toThrow();
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[14] ^= 1;
    await expect(keyring.decrypt({ ...sealed, ciphertext: tampered }, "t1|u1|strava|user_oauth_tokens")).rejects.toThrow();
    await expect(new Keyring(pool, randomBytes(32)).decrypt(sealed, "t1|u1|strava|user_oauth_tokens")).rejects.toThrow();
  });

  it("creates a single data key when instances start encrypting concurrently", async () => {
    const url = await createTestDatabase();
    const fresh = new pg.Pool({ connectionString: url, max: 8 });
    try {
      await migrate(fresh);
      const sealed = await Promise.all(Array.from({ length: 6 }, () => new Keyring(fresh, master).encrypt("x", "aad")));
      expect(new Set(sealed.map((s) => s.dataKeyId)).size).toBe(1);
      const { rows } = await fresh.query("SELECT count(*)::int AS n FROM data_encryption_keys");
      expect(rows[0].n).toBe(1);
    } finally {
      await fresh.end();
    }
  });
});
