import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "../../service/crypto/envelope.js";
import { TokenVault, TokenVaultError } from "../../service/fitness/token-vault.js";
import { runScript } from "../support/process.js";
import { connect, createAccount, createFitnessDatabase, type FitnessDatabase } from "../support/fitness.js";

let db: FitnessDatabase;
beforeAll(async () => {
  db = await createFitnessDatabase();
});
afterAll(() => db.pool.end());

const TOKENS = { accessToken: "access-of-ann", refreshToken: "refresh-of-ann", expiresAt: new Date("2026-12-01T00:00:00Z") };

describe("token vault", () => {
  it("stores tokens encrypted and reads them back", async () => {
    const vault = new TokenVault(db.keyring);
    const conn = await connect(db.pool, await createAccount(db.pool, "vault-plain"), "strava");
    await vault.store(db.pool, conn, TOKENS);
    expect(await vault.read(db.pool, conn)).toEqual(TOKENS);
    const { rows } = await db.pool.query("SELECT access_token_ciphertext, refresh_token_ciphertext FROM user_oauth_tokens WHERE connection_id = $1", [conn.id]);
    expect(Buffer.concat([rows[0].access_token_ciphertext, rows[0].refresh_token_ciphertext]).includes("of-ann")).toBe(false);
  });

  it("refuses a ciphertext copied to another user's row or to the other column", async () => {
    const vault = new TokenVault(db.keyring);
    const ann = await connect(db.pool, await createAccount(db.pool, "vault-ann"), "strava");
    const bob = await connect(db.pool, await createAccount(db.pool, "vault-bob"), "strava");
    await vault.store(db.pool, ann, TOKENS);
    await vault.store(db.pool, bob, { accessToken: "access-of-bob", refreshToken: "refresh-of-bob", expiresAt: null });

    await db.pool.query(
      `UPDATE user_oauth_tokens SET access_token_ciphertext = (SELECT access_token_ciphertext FROM user_oauth_tokens WHERE connection_id = $1)
       WHERE connection_id = $2`,
      [ann.id, bob.id],
    );
    await expect(vault.read(db.pool, bob)).rejects.toThrow(new TokenVaultError("the stored strava access token cannot be decrypted"));

    await db.pool.query("UPDATE user_oauth_tokens SET refresh_token_ciphertext = access_token_ciphertext WHERE connection_id = $1", [ann.id]);
    await expect(vault.read(db.pool, ann)).rejects.toThrow(/refresh token cannot be decrypted/);
  });

  it("keeps every token readable across a master-key rotation by the admin CLI, and only under the new key", async () => {
    const vault = new TokenVault(db.keyring);
    const conn = await connect(db.pool, await createAccount(db.pool, "vault-rotate"), "garmin");
    await vault.store(db.pool, conn, TOKENS);
    const newKey = randomBytes(32);
    const env = { DATABASE_URL: db.url, TOKEN_ENCRYPTION_KEY: db.masterKey.toString("base64") };

    const bad = await runScript("service/entry/admin.ts", ["rotate-master-key", "--new-key", "c2hvcnQ="], env);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/--new-key: must be 32 bytes/) });

    const rotated = await runScript("service/entry/admin.ts", ["rotate-master-key", "--new-key", newKey.toString("base64")], env);
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ rewrappedDataKeys: 1 });

    expect(await new TokenVault(new Keyring(db.pool, newKey)).read(db.pool, conn)).toEqual(TOKENS);
    await expect(new TokenVault(new Keyring(db.pool, db.masterKey)).read(db.pool, conn)).rejects.toBeInstanceOf(TokenVaultError);

    // Run again with the old key: nothing unwraps any more, and nothing is changed.
    const again = await runScript("service/entry/admin.ts", ["rotate-master-key", "--new-key", randomBytes(32).toString("base64")], env);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/does not unwrap with the current master key/) });
    expect(await new TokenVault(new Keyring(db.pool, newKey)).read(db.pool, conn)).toEqual(TOKENS);
  });
});
