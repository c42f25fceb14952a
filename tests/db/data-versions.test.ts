// Migration 0013: the per-user data version that tells an instance whether an answer it computed still
// holds (mcp/answer-cache.ts). It must move with every change to a user's data, once per statement, and
// never stand in the way of deleting a user.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMembership, createUser } from "../../service/identity/users.js";
import { createAccount, createFitnessDatabase, ownerOf, type FitnessDatabase } from "../support/fitness.js";
import { seedSyntheticHistory } from "../support/synthetic-history.js";

let db: FitnessDatabase;
beforeAll(async () => {
  db = await createFitnessDatabase();
});
afterAll(() => db.pool.end());

const versionOf = async (userId: string) =>
  Number((await db.pool.query<{ version: string }>("SELECT version FROM user_data_versions WHERE user_id = $1", [userId])).rows[0]?.version ?? 0);

describe("user data versions", () => {
  it("move once per statement that changes a user's rows, whatever the number of rows", async () => {
    const account = await createAccount(db.pool, "versions-rows");
    const { tenant, user } = account;
    expect(await versionOf(user.id)).toBe(0);
    await db.pool.query(
      `INSERT INTO goals (tenant_id, user_id, goal_type, target_value, unit, ends_on)
       SELECT $1, $2, 'distance', 100 * n, 'km', current_date + 30 FROM generate_series(1, 25) AS n`,
      [tenant.id, user.id],
    );
    expect(await versionOf(user.id)).toBe(1);
    await db.pool.query("UPDATE goals SET status = 'completed' WHERE user_id = $1", [user.id]);
    await db.pool.query("DELETE FROM goals WHERE user_id = $1", [user.id]);
    expect(await versionOf(user.id)).toBe(3);

    const history = await seedSyntheticHistory(db.pool, ownerOf(account));
    const seeded = await versionOf(user.id);
    expect(seeded).toBeGreaterThan(3);
    expect(seeded - 3).toBeLessThan(history.activities.length / 10);
    // A statement that changes nothing still runs the trigger, with no rows: no move.
    await db.pool.query("UPDATE fitness_activities SET name = 'x' WHERE user_id = $1 AND false", [user.id]);
    expect(await versionOf(user.id)).toBe(seeded);
  });

  it("moves every member's version when a tenant-wide configuration changes, and no one else's", async () => {
    const owner = await createAccount(db.pool, "versions-tenant");
    const member = await createUser(db.pool, { email: "versions-member@example.com", password: "correct horse battery" }, 4);
    await addMembership(db.pool, { tenantId: owner.tenant.id, userId: member.id, role: "member" });
    const outsider = await createAccount(db.pool, "versions-outsider");

    await db.pool.query("INSERT INTO fitness_configurations (tenant_id, user_id, config) VALUES ($1, NULL, '{\"ftp\": 250}')", [owner.tenant.id]);
    expect([await versionOf(owner.user.id), await versionOf(member.id), await versionOf(outsider.user.id)]).toEqual([1, 1, 0]);
    await db.pool.query("INSERT INTO fitness_configurations (tenant_id, user_id, config) VALUES ($1, $2, '{\"ftp\": 260}')", [owner.tenant.id, member.id]);
    expect([await versionOf(owner.user.id), await versionOf(member.id)]).toEqual([1, 2]);
  });

  it("lets a user with data be deleted (the cascade's own triggers skip them)", async () => {
    const account = await createAccount(db.pool, "versions-deleted");
    await seedSyntheticHistory(db.pool, ownerOf(account));
    expect(await versionOf(account.user.id)).toBeGreaterThan(0);
    await db.pool.query("DELETE FROM users WHERE id = $1", [account.user.id]);
    expect((await db.pool.query("SELECT 1 FROM user_data_versions WHERE user_id = $1", [account.user.id])).rowCount).toBe(0);
  });
});
