// Read tools' answers given again (mcp/answer-cache.ts): only while the caller's data version holds, on
// two instances of one database, never across users or tenants, never for a call that writes.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../service/identity/api-keys.js";
import { addMembership, createUser } from "../../service/identity/users.js";
import { mcpClient } from "../support/fitness-server.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { createAccount, postMcp, toolCall, type Account } from "../support/mcp.js";

let one: TestServer;
let two: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  one = await startTestServer({ ANSWER_CACHE_SECONDS: "60" });
  two = await startTestServer({ ANSWER_CACHE_SECONDS: "60", DATABASE_URL: one.config.database.url!, TOKEN_ENCRYPTION_KEY: one.config.encryptionMasterKey!.toString("base64") });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await two?.close();
  await one?.close();
});

async function client(server: TestServer, apiKey: string): Promise<Client> {
  const connected = await mcpClient(server, apiKey);
  clients.push(connected);
  return connected;
}

async function call(on: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await on.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as Record<string, unknown>;
}

/** A user with the synthetic athlete connected and synced, and a client on each instance. */
async function athlete(account: Account) {
  const first = await client(one, account.apiKey);
  const second = await client(two, account.apiKey);
  await call(first, "connect_provider", { provider: "synthetic" });
  await call(first, "get_activities", { limit: 1 });
  return { first, second };
}

/** A change the data version does not see (its triggers do not fire), so only a kept answer hides it. */
async function quietly(sql: string, params: unknown[]): Promise<void> {
  const quiet = await one.pool.connect();
  try {
    await quiet.query("SET session_replication_role = replica");
    await quiet.query(sql, params);
  } finally {
    await quiet.query("SET session_replication_role = origin");
    quiet.release();
  }
}

const newestName = async (on: Client) => ((await call(on, "get_activities", { limit: 3 })).activities as { name: string; id: string }[])[0]!;

describe("answer reuse", () => {
  it("gives an answer again while the user's data is unchanged, and a new one once it changed on any instance", async () => {
    const account = await createAccount(one.pool, "reuse-a");
    const { first, second } = await athlete(account);
    const before = await newestName(first);

    // Renamed behind the triggers' back (no data version change): the kept answer is what comes back.
    await quietly("UPDATE fitness_activities SET name = 'Renamed quietly' WHERE id = $1", [before.id]);
    expect((await newestName(first)).name).toBe(before.name);

    // A change through the data's own tables moves the version: both instances answer from the data again.
    await one.pool.query("UPDATE fitness_activities SET name = 'Renamed' WHERE id = $1", [before.id]);
    expect((await newestName(first)).name).toBe("Renamed");
    expect((await newestName(second)).name).toBe("Renamed");

    // A write through a tool on the second instance reaches the first one's analytics at once.
    const ftp = async () => ((await call(first, "get_fitness_config")).thresholds as { ftp: { value: number | null } }).ftp.value;
    await call(second, "set_fitness_config", { values: { ftp: 311 } });
    expect(await ftp()).toBe(311);
    await call(second, "set_fitness_config", { values: { ftp: 287 } });
    expect(await ftp()).toBe(287);
  });

  it("never gives one user's answer to another, in the same tenant or another", async () => {
    const owner = await createAccount(one.pool, "reuse-owner");
    const colleague = await createUser(one.pool, { email: "reuse-colleague@example.com", password: "correct horse battery" }, 4);
    await addMembership(one.pool, { tenantId: owner.tenant.id, userId: colleague.id, role: "member" });
    const colleagueKey = (await createApiKey(one.pool, { tenantId: owner.tenant.id, userId: colleague.id, name: "colleague" })).key;
    const stranger = await createAccount(one.pool, "reuse-stranger");

    const athletes = [];
    for (const apiKey of [owner.apiKey, colleagueKey, stranger.apiKey]) athletes.push((await athlete({ ...owner, apiKey })).first);
    const users = [owner.user.id, colleague.id, stranger.user.id];
    // Equal versions, so only the key can tell the three apart.
    await one.pool.query("UPDATE user_data_versions SET version = 42 WHERE user_id = ANY($1)", [users]);
    const answers = [];
    for (const on of athletes) answers.push((await call(on, "get_activities", { limit: 5 })).activities as { id: string }[]);
    for (const [index, activities] of answers.entries()) {
      const { rows } = await one.pool.query("SELECT DISTINCT user_id FROM fitness_activities WHERE id = ANY($1)", [activities.map((a) => a.id)]);
      expect(rows).toEqual([{ user_id: users[index] }]);
    }
  });

  it("writes a kept answer exactly as the computed one, alone or in a batch, and counts it as a tool call", async () => {
    const account = await createAccount(one.pool, "reuse-bytes");
    await athlete(account);
    const key = { "x-api-key": account.apiKey };
    const version = async () => (await one.pool.query("SELECT version FROM user_data_versions WHERE user_id = $1", [account.user.id])).rows[0]?.version;
    const before = await version();
    // A new argument, so the first call computes; the request ids differ, so only the id may differ.
    const raw = async () => {
      const request = toolCall("get_activities", { limit: 4, sport: "run" });
      const response = await postMcp(one.url, request, key);
      expect(response.status).toBe(200);
      return (await response.text()).replace(`"id":${request.id}}`, '"id":0}');
    };
    const computed = await raw();
    await quietly("UPDATE fitness_activities SET name = 'Renamed quietly' WHERE user_id = $1", [account.user.id]);
    const logged = one.logs.length;
    const kept = await raw();
    expect(kept).toBe(computed);
    expect(JSON.parse(computed).result.structuredContent.activities).toHaveLength(4);
    expect(JSON.parse(computed).result.structuredContent.activities[0].name).not.toBe("Renamed quietly");
    expect(await version()).toBe(before);
    expect(one.logs.slice(logged).filter((line) => line.event === "tool_call")).toMatchObject([{ tool: "get_activities", outcome: "ok" }]);

    // In a batch the Server answers each request; a kept answer is the same answer there too.
    const batch = [toolCall("get_activities", { limit: 4, sport: "run" }), toolCall("whoami")];
    const answers = (await (await postMcp(one.url, batch, key)).json()) as { id: number; result: unknown }[];
    expect(answers.map((answer) => answer.id)).toEqual(batch.map((request) => request.id));
    expect(answers[0]!.result).toEqual(JSON.parse(computed).result);
  });

  it("runs a call that writes (save: true) every time", async () => {
    const account = await createAccount(one.pool, "reuse-save");
    const { first } = await athlete(account);
    const a = await call(first, "analyze_training_load", { days: 7, save: true });
    const b = await call(first, "analyze_training_load", { days: 7, save: true });
    expect(a.insightId).not.toBe(b.insightId);
    const { rows } = await one.pool.query("SELECT count(*)::int AS n FROM insights WHERE user_id = $1", [account.user.id]);
    expect(rows[0].n).toBe(2);
  });
});
