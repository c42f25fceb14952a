import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey } from "../../service/identity/api-keys.js";
import { authenticateA2aClient, liveA2aConsent } from "../../service/oauth/a2a-clients.js";
import { createTestDatabase } from "../support/database.js";
import { runScript } from "../support/process.js";

let env: Record<string, string>;
let pool: pg.Pool;
beforeAll(async () => {
  const url = await createTestDatabase();
  env = { DATABASE_URL: url, PASSWORD_HASH_COST: "4" };
  pool = new pg.Pool({ connectionString: url, max: 2 });
});
afterAll(() => pool.end());

const admin = (...args: string[]) => runScript("service/entry/admin.ts", args, env);

describe("admin CLI", () => {
  it("adds an existing user to a second tenant", async () => {
    for (const tenant of ["first-team", "second-team"]) expect((await admin("create-tenant", "--slug", tenant, "--name", tenant)).code).toBe(0);
    expect((await admin("create-user", "--email", "both@teams.example", "--tenant", "first-team")).code).toBe(0);
    const added = await admin("add-member", "--email", "both@teams.example", "--tenant", "second-team", "--role", "admin");
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toEqual({ email: "both@teams.example", tenant: "second-team", role: "admin" });
    const { rows } = await pool.query(
      `SELECT t.slug, m.role FROM tenant_memberships m JOIN tenants t ON t.id = m.tenant_id JOIN users u ON u.id = m.user_id
       WHERE u.email = 'both@teams.example' ORDER BY t.slug`,
    );
    expect(rows).toEqual([{ slug: "first-team", role: "member" }, { slug: "second-team", role: "admin" }]);
  });

  it("creates a tenant, a user and an API key that authenticates, printing the key once", async () => {
    expect((await admin("create-tenant", "--slug", "acme", "--name", "Acme Running", "--tier", "pro")).code).toBe(0);
    const user = await admin("create-user", "--email", "coach@acme.example", "--tenant", "acme", "--role", "owner");
    expect(user.code).toBe(0);
    const { password } = JSON.parse(user.stdout);
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);

    const created = await admin("create-api-key", "--email", "coach@acme.example", "--tenant", "acme", "--name", "laptop", "--burst", "5");
    expect(created.code).toBe(0);
    const { apiKey, prefix } = JSON.parse(created.stdout);
    expect(await authenticateApiKey(pool, apiKey)).toMatchObject({ tier: "free", apiKey: { burstPerMinute: 5 } });

    const listed = await admin("list-api-keys", "--tenant", "acme");
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ prefix, name: "laptop", revokedAt: null })]);
    expect(listed.stdout).not.toContain(apiKey);

    expect((await admin("revoke-api-key", "--tenant", "acme", "--prefix", prefix)).code).toBe(0);
    expect(await authenticateApiKey(pool, apiKey)).toBeUndefined();
  });

  it("registers an A2A client, prints its secret once, grants it a member's access and revokes it", async () => {
    expect((await admin("create-tenant", "--slug", "agents", "--name", "Agents")).code).toBe(0);
    expect((await admin("create-user", "--email", "runner@agents.example", "--tenant", "agents")).code).toBe(0);
    expect((await admin("create-user", "--email", "outsider@agents.example", "--tenant", "first-team")).code).toBe(0);
    const created = await admin("create-a2a-client", "--tenant", "agents", "--name", "Coach bot");
    expect(created.code).toBe(0);
    const { clientId, clientSecret } = JSON.parse(created.stdout);
    const client = await authenticateA2aClient(pool, clientId, clientSecret);
    expect(client).toMatchObject({ id: clientId, name: "Coach bot" });
    const { rows } = await pool.query("SELECT client_secret_hash FROM a2a_clients WHERE id = $1", [clientId]);
    expect(rows[0].client_secret_hash).not.toContain(clientSecret);

    const outsider = await admin("grant-a2a-access", "--tenant", "agents", "--client", clientId, "--email", "outsider@agents.example");
    expect(outsider).toMatchObject({ code: 1, stderr: expect.stringMatching(/not a member of tenant agents/) });
    const granted = await admin("grant-a2a-access", "--tenant", "agents", "--client", clientId, "--email", "runner@agents.example", "--scope", "fitness:read");
    expect(granted.code).toBe(0);
    expect(JSON.parse(granted.stdout)).toMatchObject({ clientId, actsFor: "runner@agents.example", scope: "fitness:read" });
    expect(await liveA2aConsent(pool, client!)).toMatchObject({ scopes: ["fitness:read"] });
    expect((await admin("grant-a2a-access", "--tenant", "agents", "--client", clientId, "--email", "runner@agents.example", "--scope", "admin")).code).toBe(1);

    expect((await admin("revoke-a2a-access", "--tenant", "agents", "--client", clientId)).code).toBe(0);
    expect(await liveA2aConsent(pool, client!)).toBeUndefined();
    expect(await admin("revoke-a2a-access", "--tenant", "agents", "--client", clientId)).toMatchObject({ code: 1, stderr: expect.stringMatching(/no live grant/) });
  });

  it("explains bad input instead of failing with a stack trace", async () => {
    const badEmail = await admin("create-user", "--email", "not-an-email", "--tenant", "acme");
    expect(badEmail.code).toBe(1);
    expect(badEmail.stderr).toMatch(/--email: /);
    const missingTenant = await admin("create-api-key", "--email", "coach@acme.example", "--tenant", "nosuch");
    expect(missingTenant).toMatchObject({ code: 1, stderr: expect.stringMatching(/no tenant nosuch/) });
    const duplicate = await admin("create-tenant", "--slug", "acme", "--name", "Again");
    expect(duplicate).toMatchObject({ code: 1, stderr: expect.stringMatching(/already exists/) });
    const sameUser = await admin("create-user", "--email", "coach@acme.example", "--tenant", "acme");
    expect(sameUser).toMatchObject({ code: 1, stderr: expect.stringMatching(/a user with this email already exists \(add-member/) });
    const unreachable = await runScript("service/entry/admin.ts", ["list-api-keys", "--tenant", "acme"], { ...env, DATABASE_URL: "postgres://nobody:x@127.0.0.1:1/none" });
    expect(unreachable).toMatchObject({ code: 1, stderr: expect.stringMatching(/^cannot reach the database/) });
    const unknown = await admin("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/usage: npm run admin/);
    for (const run of [badEmail, missingTenant, duplicate, sameUser, unreachable, unknown]) {
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stderr).not.toMatch(/Key \(|duplicate key|violates/);
    }
  });
});
