// An agent's session through the SDK client against the synthetic athlete's two years: every number the
// answers carry is recomputed from the seeded history with independent formulas (support/training-formulas.ts).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, type Account } from "../support/mcp.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { seedSyntheticHistory, type SeededHistory } from "../support/synthetic-history.js";
import { bestRecentRun, CONFIG, DAY_MS, dayNumber, hoursOf, loadThrough, vdot } from "../support/training-formulas.js";

let server: TestServer;
let athlete: Account;
let history: SeededHistory;
let client: Client;

async function call<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as T;
}

beforeAll(async () => {
  server = await startTestServer();
  athlete = await createAccount(server.pool, "e2e-athlete", { tenantTier: "pro", userTier: "pro" });
  history = await seedSyntheticHistory(server.pool, { tenantId: athlete.tenant.id, userId: athlete.user.id }, { days: 730, streamDays: 0 });
  client = new Client({ name: "pierre-e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { "X-API-Key": athlete.apiKey } } }));
  await call("set_fitness_config", { values: CONFIG });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe("an agent's session with the synthetic athlete", () => {
  const offset = () => history.physiology.utcOffsetSeconds;
  const today = () => dayNumber(new Date().toISOString(), offset());

  it("gets a training-load analysis whose CTL, ATL and TSB match the seeded history", async () => {
    const load = await call<{ ctl: number; atl: number; tsb: number; date: string; confidence: string; estimated: string[] }>("analyze_training_load");
    const expected = loadThrough(history.activities, today());
    expect(load.date).toBe(new Date(today() * DAY_MS).toISOString().slice(0, 10));
    expect(load.confidence).toBe("full");
    expect(load.ctl).toBeCloseTo(expected.ctl, 6);
    expect(load.atl).toBeCloseTo(expected.atl, 6);
    expect(load.tsb).toBeCloseTo(expected.tsb, 6);
    expect(load.estimated).not.toContain("ftp");
    const resource = await client.readResource({ uri: "pierre://training/load" });
    expect(JSON.parse((resource.contents[0] as { text: string }).text)).toMatchObject({ ctl: load.ctl, tsb: load.tsb });
  });

  it("gets a marathon prediction from the best run of the last 90 days (Daniels VDOT, Riegel)", async () => {
    const { best, basisRun } = bestRecentRun(history.activities, today());
    const p = await call<{ basis: { vdot: number; distanceMeters: number; seconds: number }; vdotSeconds: number; riegelSeconds: number }>(
      "predict_performance",
      { race: "marathon" },
    );
    expect(p.basis.vdot).toBeCloseTo(best, 9);
    expect(p.riegelSeconds).toBeCloseTo(hoursOf(basisRun) * 3600 * (42_195 / basisRun.distanceMeters!) ** 1.06, 6);
    // The VDOT time is the marathon time at which the same VDOT formula gives back the athlete's VDOT.
    expect(vdot(42_195, p.vdotSeconds)).toBeCloseTo(best, 3);
  });

  it("tracks a goal's progress against the seeded runs", async () => {
    const iso = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
    const { goal } = await call<{ goal: { id: string } }>("set_goal", {
      goal_type: "distance",
      target_value: 300_000,
      sport: "run",
      start_date: iso(today() - 27),
      target_date: iso(today() + 28),
    });
    const done = history.activities
      .filter((a) => a.sport === "run" && dayNumber(a.startTime, a.utcOffsetSeconds) >= today() - 27)
      .reduce((sum, a) => sum + (a.distanceMeters ?? 0), 0);
    const progress = await call<{ current: number; percentComplete: number; expectedByNow: number }>("track_progress", { goal_id: goal.id });
    expect(progress.current).toBeCloseTo(done, 6);
    expect(progress.percentComplete).toBeCloseTo((100 * done) / 300_000, 6);
    expect(progress.expectedByNow).toBeCloseTo((300_000 * 28) / 56, 6);
  });

  it("gets a recovery suggestion built on the same TSB", async () => {
    const { tsb } = loadThrough(history.activities, today());
    const recovery = await call<{ score: number; components: { tsb: number; sleep: number | null; hrv: number | null }; weights: Record<string, number> }>(
      "calculate_recovery_score",
    );
    expect(recovery.components.tsb).toBeCloseTo(Math.min(100, Math.max(0, 50 + 2.5 * tsb)), 6);
    const { tsb: w1, sleep: w2, hrv: w3 } = recovery.weights;
    expect(w1 + w2 + w3).toBeCloseTo(1, 9);
    expect(recovery.score).toBeCloseTo(w1 * recovery.components.tsb + w2 * (recovery.components.sleep ?? 0) + w3 * (recovery.components.hrv ?? 0), 9);
    const advice = await call<{ restRecommended: boolean; reasons: { reason: string; strong: boolean }[]; recoveryScore: number }>("suggest_rest_day");
    expect(advice.recoveryScore).toBeCloseTo(recovery.score, 9);
    if (advice.reasons.some((r) => r.strong)) expect(advice.restRecommended).toBe(true);
    const prompt = await client.getPrompt({ name: "recovery_check" });
    expect((prompt.messages[0].content as { text: string }).text).toMatch(/suggest_rest_day/);
  });

  it("gets a nutrition plan for a 2-hour training day (Mifflin-St Jeor, 1.725, 1.7 g/kg protein, 8 g/kg carbohydrate)", async () => {
    const n = await call<{ bmrKcal: number; energyKcal: number; proteinG: number; carbsG: number; fatG: number; dayType: string }>(
      "calculate_daily_nutrition",
      { activity_level: "very_active", training_hours: 2 },
    );
    const bmr = 10 * 68 + 6.25 * 178 - 5 * 38 + 5;
    const energy = bmr * 1.725;
    expect(n.bmrKcal).toBeCloseTo(bmr, 9);
    expect(n.energyKcal).toBeCloseTo(energy, 9);
    expect(n.dayType).toBe("high");
    expect(n.proteinG).toBeCloseTo(1.7 * 68, 9);
    expect(n.carbsG).toBeCloseTo(8 * 68, 9);
    // Fat fills the rest of the energy, held within 20-35% of it.
    const rest = energy - 4 * (1.7 * 68 + 8 * 68);
    expect(n.fatG).toBeCloseTo(Math.min(0.35 * energy, Math.max(0.2 * energy, rest)) / 9, 9);
  });

  it("lists the resources and prompts real clients surface", async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(["pierre://activities/recent", "pierre://athlete/profile", "pierre://training/load"]);
    const recent = JSON.parse(((await client.readResource({ uri: "pierre://activities/recent" })).contents[0] as { text: string }).text);
    expect(recent.activities[0].startTime).toBe(history.activities[history.activities.length - 1].startTime);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(["race_readiness", "recovery_check", "weekly_training_review"]);
    await expect(client.readResource({ uri: "pierre://nope" })).rejects.toThrow(/Resource not found/);
    await expect(client.getPrompt({ name: "race_readiness", arguments: {} })).rejects.toThrow(/race/);
  });
});
