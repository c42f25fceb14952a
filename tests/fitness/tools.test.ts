import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpClient } from "../support/fitness-server.js";
import { createAccount, type Account } from "../support/fitness.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let ann: Account;
let bob: Account;
let annClient: Client;
let bobClient: Client;
let bobActivityId: string;
let annActivityId: string;

const call = async (client: Client, name: string, args: Record<string, unknown>) => {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { ...result, text: (result.content as { text: string }[]).map((c) => c.text).join("\n") };
};

beforeAll(async () => {
  server = await startTestServer();
  ann = await createAccount(server.pool, "tools-ann");
  bob = await createAccount(server.pool, "tools-bob");
  annClient = await mcpClient(server, ann.apiKey);
  bobClient = await mcpClient(server, bob.apiKey);
  for (const client of [annClient, bobClient]) await call(client, "connect_provider", { provider: "synthetic" });
  const first = async (client: Client) =>
    ((await call(client, "get_activities", { limit: 1 })).structuredContent as { activities: { id: string }[] }).activities[0]!.id;
  annActivityId = await first(annClient);
  bobActivityId = await first(bobClient);
});
afterAll(async () => {
  await Promise.all([annClient.close(), bobClient.close()]);
  await server.close();
});

describe.each([
  ["get_activities", { limit: 201 }, /limit/],
  ["get_activities", { limit: 0 }, /limit/],
  ["get_activities", { from: "2026-02-01", to: "2026-01-01" }, /from must not be after to/],
  ["get_activities", { sport: "yoga" }, /sport/],
  ["get_activities", { cursor: "bm90LWEtY3Vyc29y" }, /cursor is not a nextCursor this tool returned/],
  ["get_activities", { provider: "myspace" }, /provider/],
  ["get_activities", { when: "today" }, /when/],
  ["get_activity", { activityId: "42" }, /activityId/],
  ["get_activity", {}, /activityId/],
  ["get_stats", { period: "fortnight" }, /period/],
  ["get_stats", { from: "2026-13-01" }, /from/],
  ["get_sleep", { from: "2024-01-01", to: "2026-01-01" }, /at most 366 days/],
  ["get_sleep", { from: "2026-01-01" }, /to/],
  ["get_athlete", { provider: 7 }, /provider/],
  ["disconnect_provider", {}, /provider/],
])("%s with invalid arguments %j", (name, args, message) => {
  it("answers a tool error naming what to fix", async () => {
    const result = await call(annClient, name, args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(message);
  });
});

describe("valid calls", () => {
  it("get_activities filters by provider, sport and date range and pages with its cursor", async () => {
    const page = await call(annClient, "get_activities", { provider: "synthetic", sport: "ride", from: "2026-06-01T00:00:00Z", to: "2026-08-31", limit: 5 });
    const { activities, nextCursor } = page.structuredContent as { activities: { sport: string; startTime: string }[]; nextCursor: string };
    expect(activities).toHaveLength(5);
    expect(activities.every((a) => a.sport === "ride" && a.startTime >= "2026-06-01" && a.startTime <= "2026-08-31T23:59:59Z")).toBe(true);
    const next = await call(annClient, "get_activities", { provider: "synthetic", sport: "ride", from: "2026-06-01T00:00:00Z", to: "2026-08-31", limit: 5, cursor: nextCursor });
    const more = (next.structuredContent as { activities: { startTime: string }[] }).activities;
    expect(more[0]!.startTime <= activities[4]!.startTime).toBe(true);
    expect(page.text).toMatch(/5 activities, newest 2026-08-/);
  });

  it("get_activity returns laps and a stream summary, the samples only on request", async () => {
    const summary = await call(annClient, "get_activity", { activityId: annActivityId });
    const s = summary.structuredContent as { activity: { id: string }; streams: unknown; laps: unknown[] };
    expect(s.activity.id).toBe(annActivityId);
    expect(s.streams).toBeNull();
    expect(s.laps.length).toBeGreaterThan(0);
  });

  it("get_stats totals per sport and month, get_athlete the profile", async () => {
    const stats = await call(annClient, "get_stats", { period: "month", from: "2026-01-01", to: "2026-06-30" });
    const totals = (stats.structuredContent as { totals: { period: string; count: number }[] }).totals;
    expect(new Set(totals.map((t) => t.period))).toEqual(new Set(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01"]));
    expect(totals.every((t) => t.count > 0)).toBe(true);
    const athlete = await call(annClient, "get_athlete", { provider: "synthetic" });
    expect(athlete.structuredContent).toMatchObject({ profiles: [{ provider: "synthetic", synthetic: true }] });
  });

  it("asks for a connection first when the provider is not connected", async () => {
    const result = await call(annClient, "get_sleep", { from: "2026-01-01", to: "2026-01-31", provider: "garmin" });
    expect(result.isError).toBe(true);
    expect(result.text).toBe('Garmin is not connected. Call connect_provider with provider "garmin" first.');
    const notConfigured = await call(annClient, "connect_provider", { provider: "strava" });
    expect(notConfigured.text).toBe("strava is not configured on this server. Available providers: synthetic.");
  });
});

describe("cross-tenant ids", () => {
  it("read exactly like ids that do not exist", async () => {
    const missing = await call(annClient, "get_activity", { activityId: randomUUID() });
    const foreign = await call(annClient, "get_activity", { activityId: bobActivityId });
    expect(foreign.isError).toBe(true);
    expect(foreign.text.replace(bobActivityId, "ID")).toBe(missing.text.replace(/[0-9a-f-]{36}/, "ID"));
  });

  it("never list another tenant's data, and a disconnect removes only the caller's", async () => {
    const annIds = new Set(((await call(annClient, "get_activities", { limit: 200 })).structuredContent as { activities: { id: string }[] }).activities.map((a) => a.id));
    expect(annIds.has(bobActivityId)).toBe(false);

    const gone = await call(annClient, "disconnect_provider", { provider: "synthetic" });
    expect(gone.structuredContent).toEqual({ provider: "synthetic", disconnected: true, revokedAtProvider: false });
    const { rows } = await server.pool.query(
      "SELECT (SELECT count(*)::int FROM fitness_activities WHERE user_id = $1) AS ann, (SELECT count(*)::int FROM fitness_activities WHERE user_id = $2) AS bob, (SELECT count(*)::int FROM sleep_records WHERE user_id = $1) AS ann_sleep",
      [ann.user.id, bob.user.id],
    );
    expect(rows[0]).toMatchObject({ ann: 0, ann_sleep: 0 });
    expect(rows[0].bob).toBeGreaterThan(300);
    expect((await call(annClient, "get_activity", { activityId: annActivityId })).isError).toBe(true);
    expect((await call(bobClient, "get_activity", { activityId: bobActivityId })).isError).toBeFalsy();
    expect((await call(annClient, "disconnect_provider", { provider: "synthetic" })).structuredContent).toMatchObject({ disconnected: false });
  });
});

describe("a connection removed while it syncs", () => {
  it("answers a tool error, not a 500", async () => {
    const carol = await createAccount(server.pool, "tools-carol");
    const client = await mcpClient(server, carol.apiKey);
    try {
      await call(client, "connect_provider", { provider: "synthetic" });
      // Hold the connection row so the sync's first insert waits on it, then delete it under the sync.
      const db = await server.pool.connect();
      try {
        await db.query("BEGIN");
        await db.query("SELECT id FROM provider_connections WHERE user_id = $1 FOR UPDATE", [carol.user.id]);
        const reading = call(client, "get_activities", {});
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await db.query("DELETE FROM provider_connections WHERE user_id = $1", [carol.user.id]);
        await db.query("COMMIT");
        const result = await reading;
        expect(result.isError).toBe(true);
        expect(result.text).toBe("Synthetic athlete was just disconnected.");
      } finally {
        db.release();
      }
    } finally {
      await client.close();
    }
  });
});

