import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callError, callOk, createAccount, type Account } from "../support/mcp.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { seedSyntheticHistory, type SeededHistory } from "../support/synthetic-history.js";

let server: TestServer;
let athlete: Account;
let stranger: Account;
let history: SeededHistory;

const DAY_MS = 86_400_000;
const localDate = (ms: number, offsetSeconds: number) => new Date(ms + offsetSeconds * 1000).toISOString().slice(0, 10);

interface Goal {
  id: string;
  type: string;
  unit: string;
  raceDistanceMeters: number | null;
}

beforeAll(async () => {
  server = await startTestServer();
  athlete = await createAccount(server.pool, "goal-athlete", { tenantTier: "pro", userTier: "pro" });
  stranger = await createAccount(server.pool, "goal-stranger", { tenantTier: "pro", userTier: "pro" });
  history = await seedSyntheticHistory(server.pool, { tenantId: athlete.tenant.id, userId: athlete.user.id }, { days: 120, streamDays: 0 });
});
afterAll(() => server.close());

describe("goal tools", () => {
  it("tracks a distance goal against the seeded runs, recomputed here", async () => {
    const offset = history.physiology.utcOffsetSeconds;
    const today = localDate(Date.now(), offset);
    const start = localDate(Date.now() - 13 * DAY_MS, offset);
    const end = localDate(Date.now() + 14 * DAY_MS, offset);
    const { goal } = await callOk<{ goal: Goal }>(server.url, athlete.apiKey, "set_goal", {
      goal_type: "distance",
      target_value: 150_000,
      sport: "run",
      start_date: start,
      target_date: end,
    });
    expect(goal).toMatchObject({ type: "distance", unit: "m", raceDistanceMeters: null });

    const done = history.activities
      .filter((a) => a.sport === "run")
      .filter((a) => {
        const day = localDate(Date.parse(a.startTime), a.utcOffsetSeconds);
        return day >= start && day <= today;
      })
      .reduce((sum, a) => sum + (a.distanceMeters ?? 0), 0);
    const progress = await callOk<{ current: number; percentComplete: number; daysElapsed: number; insightId: string }>(
      server.url,
      athlete.apiKey,
      "track_progress",
      { goal_id: goal.id, save: true },
    );
    expect(progress.current).toBeCloseTo(done, 6);
    expect(progress.percentComplete).toBeCloseTo((100 * done) / 150_000, 6);
    expect(progress.daysElapsed).toBe(14);

    const { insights } = await callOk<{ insights: { id: string; kind: string; content: { current: number } }[] }>(server.url, athlete.apiKey, "list_insights", {
      kind: "goal_progress",
    });
    expect(insights[0]).toMatchObject({ id: progress.insightId, kind: "goal_progress", content: { current: progress.current } });

    const feasibility = await callOk<{ verdict: string; reasons: string[] }>(server.url, athlete.apiKey, "analyze_goal_feasibility", { goal_id: goal.id });
    expect(["achieved", "likely", "possible", "unlikely"]).toContain(feasibility.verdict);
    expect(feasibility.reasons.length).toBeGreaterThan(0);
  });

  it("stores race-time goals with their distance and predicts against them", async () => {
    const { goal } = await callOk<{ goal: Goal }>(server.url, athlete.apiKey, "set_goal", {
      goal_type: "race_time",
      target_value: 45 * 60,
      race: "10k",
      target_date: localDate(Date.now() + 60 * DAY_MS, 0),
    });
    expect(goal).toMatchObject({ raceDistanceMeters: 10_000, unit: "s" });
    const progress = await callOk<{ current: number | null; type: string }>(server.url, athlete.apiKey, "track_progress", { goal_id: goal.id });
    expect(progress.type).toBe("race_time");
    expect(progress.current).toBeGreaterThan(20 * 60);
  });

  it("suggests goals from recent training", async () => {
    const { suggestions } = await callOk<{ suggestions: { type: string; rationale: string }[] }>(server.url, athlete.apiKey, "suggest_goals");
    expect(suggestions.map((s) => s.type)).toContain("distance");
  });

  it("lists and deletes only the caller's goals; someone else's id is not found", async () => {
    const { goals } = await callOk<{ goals: Goal[] }>(server.url, athlete.apiKey, "list_goals", { status: "active" });
    expect(goals).toHaveLength(2);
    expect((await callOk<{ goals: Goal[] }>(server.url, stranger.apiKey, "list_goals")).goals).toEqual([]);
    expect(await callError(server.url, stranger.apiKey, "track_progress", { goal_id: goals[0].id })).toMatch(/No goal with id/);
    expect(await callError(server.url, stranger.apiKey, "delete_goal", { goal_id: goals[0].id })).toMatch(/No goal with id/);
    expect(await callOk(server.url, athlete.apiKey, "delete_goal", { goal_id: goals[0].id })).toEqual({ deleted: true });
    expect(await callError(server.url, athlete.apiKey, "delete_goal", { goal_id: goals[0].id })).toMatch(/No goal with id/);
  });

  it("explains what is wrong with a goal", async () => {
    const base = { goal_type: "race_time", target_value: 3000, target_date: "2099-01-01" };
    expect(await callError(server.url, athlete.apiKey, "set_goal", base)).toMatch(/exactly one of race or race_distance_meters/);
    expect(await callError(server.url, athlete.apiKey, "set_goal", { ...base, goal_type: "distance", race: "5k" })).toMatch(/race_time goals only/);
    expect(await callError(server.url, athlete.apiKey, "set_goal", { ...base, goal_type: "volume", start_date: "2099-02-01" })).toMatch(/target_date/);
    expect(await callError(server.url, athlete.apiKey, "set_goal", { ...base, target_date: "2099-02-30", race: "5k" })).toMatch(/target_date/);
  });
});
