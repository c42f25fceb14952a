import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpClient } from "../support/fitness-server.js";
import { createAccount, type Account } from "../support/fitness.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let ann: Account;
let client: Client;

beforeAll(async () => {
  server = await startTestServer();
  ann = await createAccount(server.pool, "synthetic-ann");
  client = await mcpClient(server, ann.apiKey);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

type Activities = { activities: { id: string; startTime: string; sport: string; synthetic: boolean }[]; nextCursor: string | null };

describe("the synthetic athlete through the SDK client", () => {
  it("connects, then lists, reads and summarises two years of activities and sleep", async () => {
    const before = await client.callTool({ name: "get_activities", arguments: {} });
    expect(before.isError).toBe(true);
    expect((before.content as { text: string }[])[0]!.text).toMatch(/No fitness provider is connected. Call connect_provider/);

    const connected = await client.callTool({ name: "connect_provider", arguments: { provider: "synthetic" } });
    expect(connected.structuredContent).toMatchObject({ status: "connected" });

    const first = (await client.callTool({ name: "get_activities", arguments: { limit: 50 } })).structuredContent as Activities & { sources: unknown[] };
    expect(first.activities).toHaveLength(50);
    expect(first.activities.every((a) => a.synthetic)).toBe(true);
    expect(first.sources).toEqual([expect.objectContaining({ provider: "synthetic", fresh: true, note: null })]);
    const starts = first.activities.map((a) => a.startTime);
    expect([...starts].sort().reverse()).toEqual(starts);

    // Paging through the cursor reaches the whole two years without repeats.
    const seen = new Set(first.activities.map((a) => a.id));
    let cursor = first.nextCursor;
    let oldest = starts[starts.length - 1]!;
    while (cursor) {
      const page = (await client.callTool({ name: "get_activities", arguments: { limit: 200, cursor } })).structuredContent as Activities;
      for (const a of page.activities) {
        expect(seen.has(a.id)).toBe(false);
        seen.add(a.id);
      }
      oldest = page.activities[page.activities.length - 1]?.startTime ?? oldest;
      cursor = page.nextCursor;
    }
    const { rows } = await server.pool.query("SELECT count(*)::int AS n FROM fitness_activities WHERE user_id = $1", [ann.user.id]);
    expect(seen.size).toBe(rows[0].n);
    expect(Date.now() - Date.parse(oldest)).toBeGreaterThan(700 * 86_400_000);

    const runs = (await client.callTool({ name: "get_activities", arguments: { sport: "run", from: "2026-01-01", to: "2026-03-31", limit: 200 } }))
      .structuredContent as Activities;
    expect(runs.activities.length).toBeGreaterThan(0);
    expect(runs.activities.every((a) => a.sport === "run" && a.startTime >= "2026-01-01" && a.startTime < "2026-04-01")).toBe(true);

    const withStreams = await client.callTool({ name: "get_activity", arguments: { activityId: first.activities[0]!.id, streams: true } });
    const detail = withStreams.structuredContent as { laps: unknown[] | null; streamSummary: { samples: number } | null; streams: { timeSeconds: number[] } | null };
    expect(detail.laps?.length).toBeGreaterThan(0);
    if (detail.streamSummary) expect(detail.streams?.timeSeconds).toHaveLength(detail.streamSummary.samples);

    const stats = (await client.callTool({ name: "get_stats", arguments: { period: "year", from: "2025-01-01", to: "2025-12-31" } })).structuredContent as {
      totals: { period: string; sport: string; count: number; distanceMeters: number }[];
    };
    const { rows: expected } = await server.pool.query(
      `SELECT sport, count(*)::int AS n FROM fitness_activities WHERE user_id = $1
       AND (start_time AT TIME ZONE 'UTC' + make_interval(secs => utc_offset_seconds))::date BETWEEN '2025-01-01' AND '2025-12-31'
       GROUP BY sport ORDER BY sport`,
      [ann.user.id],
    );
    expect(stats.totals.map((t) => ({ sport: t.sport, n: t.count }))).toEqual(expected);

    const sleep = await client.callTool({ name: "get_sleep", arguments: { from: "2026-10-01", to: "2026-10-31" } });
    const nights = (sleep.structuredContent as { nights: { date: string; minutesAsleep: number; hrvRmssdMs: number | null; synthetic: boolean }[] }).nights;
    expect(nights.filter((n) => n.date >= "2026-10-01" && n.date <= "2026-10-31").length).toBe(nights.length);
    expect(nights.length).toBeGreaterThanOrEqual(28);
    expect(nights.some((n) => n.hrvRmssdMs !== null)).toBe(true);
    expect((sleep.content as { text: string }[])[1]!.text).toMatch(/main sleep averages \d+ h/);

    const athlete = await client.callTool({ name: "get_athlete", arguments: {} });
    expect(athlete.structuredContent).toMatchObject({ profiles: [{ provider: "synthetic", synthetic: true }] });
  });

  it("answers an analysis asked right after connect_provider from the athlete's history (analyses sync first)", async () => {
    const bo = await createAccount(server.pool, "synthetic-bo");
    const fresh = await mcpClient(server, bo.apiKey);
    try {
      await fresh.callTool({ name: "connect_provider", arguments: { provider: "synthetic" } });
      const load = (await fresh.callTool({ name: "analyze_training_load", arguments: { days: 7 } })).structuredContent as { ctl: number; missing: string[] };
      expect(load.ctl).toBeGreaterThan(10);
      expect(load.missing).not.toContain("activities");
      const { rows } = await server.pool.query("SELECT count(*)::int AS n FROM fitness_activities WHERE user_id = $1", [bo.user.id]);
      expect(rows[0].n).toBeGreaterThan(400);
    } finally {
      await fresh.close();
    }
  });
});
