import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callError, callOk, callTool, createAccount, type Account } from "../support/mcp.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { seedSyntheticHistory } from "../support/synthetic-history.js";

let server: TestServer;
let athlete: Account;
let stranger: Account;
let strangerActivity: string;
let ids: { run: string[]; ride: string[] };

interface Load {
  date: string;
  ctl: number;
  atl: number;
  tsb: number;
  confidence: string;
  daily: { date: string; tss: number }[];
  insightId: string | null;
  estimated: string[];
  missing: string[];
}

async function activityIds(account: Account, sport: string): Promise<string[]> {
  const { rows } = await server.pool.query<{ id: string }>(
    "SELECT id FROM fitness_activities WHERE user_id = $1 AND sport = $2 ORDER BY start_time DESC LIMIT 5",
    [account.user.id, sport],
  );
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  server = await startTestServer();
  athlete = await createAccount(server.pool, "an-athlete", { tenantTier: "enterprise", userTier: "enterprise" });
  stranger = await createAccount(server.pool, "an-stranger", { tenantTier: "enterprise", userTier: "enterprise" });
  await seedSyntheticHistory(server.pool, { tenantId: athlete.tenant.id, userId: athlete.user.id }, { days: 200, streamDays: 30 });
  await seedSyntheticHistory(server.pool, { tenantId: stranger.tenant.id, userId: stranger.user.id }, { days: 10, streamDays: 0 });
  ids = { run: await activityIds(athlete, "run"), ride: await activityIds(athlete, "ride") };
  strangerActivity = (await activityIds(stranger, "run"))[0] ?? (await activityIds(stranger, "ride"))[0];
});
afterAll(() => server.close());

describe("analyze_training_load", () => {
  it("stores the daily TSS series, answers the same from it, and rebuilds when an activity changes", async () => {
    const fresh = await callOk<Load>(server.url, athlete.apiKey, "analyze_training_load", { days: 14 });
    expect(fresh.daily).toHaveLength(14);
    expect(fresh.daily.at(-1)!.date).toBe(fresh.date);
    expect(fresh.confidence).toBe("full");
    expect(fresh.ctl).toBeGreaterThan(10);
    const { rows } = await server.pool.query("SELECT basis FROM training_load_cache WHERE user_id = $1", [athlete.user.id]);
    expect(rows).toHaveLength(1);
    expect(await callOk<Load>(server.url, athlete.apiKey, "analyze_training_load", { days: 14 })).toEqual(fresh);

    // A hard session today: the trigger drops the stored series and the next answer includes it.
    await server.pool.query(
      `INSERT INTO fitness_activities (tenant_id, user_id, connection_id, provider, external_id, sport, name, start_time, utc_offset_seconds,
         elapsed_seconds, moving_seconds, distance_meters)
       SELECT tenant_id, user_id, connection_id, provider, 'extra', 'run', 'Extra', now() - interval '1 minute', utc_offset_seconds, 7200, 7200, 24000
       FROM fitness_activities WHERE user_id = $1 LIMIT 1`,
      [athlete.user.id],
    );
    expect((await server.pool.query("SELECT 1 FROM training_load_cache WHERE user_id = $1", [athlete.user.id])).rows).toHaveLength(0);
    const after = await callOk<Load>(server.url, athlete.apiKey, "analyze_training_load", { days: 14 });
    expect(after.atl).toBeGreaterThan(fresh.atl);
    await server.pool.query("DELETE FROM fitness_activities WHERE user_id = $1 AND external_id = 'extra'", [athlete.user.id]);
  });

  it("saves the analysis as an insight when asked", async () => {
    const saved = await callOk<Load>(server.url, athlete.apiKey, "analyze_training_load", { save: true });
    const { rows } = await server.pool.query("SELECT kind, content FROM insights WHERE id = $1 AND user_id = $2", [saved.insightId, athlete.user.id]);
    expect(rows[0]).toMatchObject({ kind: "training_load", content: { ctl: saved.ctl, date: saved.date } });
  });

  it("answers an athlete without activities with zeros and says what is missing", async () => {
    const empty = await createAccount(server.pool, "an-empty");
    const load = await callOk<Load>(server.url, empty.apiKey, "analyze_training_load");
    expect(load).toMatchObject({ ctl: 0, atl: 0, tsb: 0, confidence: "reduced" });
    expect(load.missing).toContain("activities");
  });

  it("refuses out-of-range arguments with a message naming them", async () => {
    expect(await callError(server.url, athlete.apiKey, "analyze_training_load", { days: 0 })).toMatch(/days/);
    expect(await callError(server.url, athlete.apiKey, "analyze_training_load", { window: 3 })).toMatch(/window/);
  });
});

describe("activity tools", () => {
  it("analyzes an own activity, and treats someone else's or a malformed id like a missing one", async () => {
    const analysis = await callOk<{ name: string; stress: { tss: number; method: string } }>(server.url, athlete.apiKey, "analyze_activity", {
      activity_id: ids.ride[0],
    });
    expect(analysis.stress.tss).toBeGreaterThan(0);
    expect(analysis.stress.method).toBe("power");
    expect(await callError(server.url, athlete.apiKey, "analyze_activity", { activity_id: strangerActivity })).toMatch(/No activity with id/);
    expect(await callError(server.url, athlete.apiKey, "analyze_activity", { activity_id: "42" })).toMatch(/UUID[\s\S]*activity_id/);
  });

  it("compares two activities with differences second minus first", async () => {
    const c = await callOk<{ first: { tss: number }; second: { tss: number }; difference: { tss: number }; sameSport: boolean }>(
      server.url,
      athlete.apiKey,
      "compare_activities",
      { first_id: ids.run[0], second_id: ids.run[1] },
    );
    expect(c.sameSport).toBe(true);
    expect(c.difference.tss).toBeCloseTo(c.second.tss - c.first.tss, 9);
  });
});

describe("fitness tools over the stored history", () => {
  it("every analytics and recovery tool answers within its output schema with a quotable summary", async () => {
    const calls: [string, Record<string, unknown>][] = [
      ["calculate_fitness_score", {}],
      ["detect_patterns", { weeks: 8 }],
      ["analyze_performance_trends", { metric: "pace", period: "quarter", sport: "run" }],
      ["predict_performance", { race: "10k" }],
      ["calculate_personalized_zones", {}],
      ["generate_recommendations", {}],
      ["analyze_sleep_quality", {}],
      ["track_sleep_trends", { nights: 28 }],
      ["calculate_recovery_score", {}],
      ["suggest_rest_day", {}],
    ];
    for (const [name, args] of calls) {
      const result = await callTool(server.url, athlete.apiKey, name, args);
      expect(result.isError, `${name}: ${result.content[0].text}`).toBeFalsy();
      expect(result.content[1].text.length, name).toBeGreaterThan(10);
    }
  });

  it("predicts from the best recent run and refuses two targets at once", async () => {
    const p = await callOk<{ basis: { vdot: number } | null; vdotSeconds: number; equivalentTimes: Record<string, number> }>(
      server.url,
      athlete.apiKey,
      "predict_performance",
      { race: "marathon" },
    );
    expect(p.basis!.vdot).toBeGreaterThan(30);
    expect(p.vdotSeconds).toBeCloseTo(p.equivalentTimes.marathon, 6);
    expect(await callError(server.url, athlete.apiKey, "predict_performance", { race: "5k", distance_meters: 5000 })).toMatch(/exactly one/);
  });

  it("uses the configured thresholds once set, and no longer reports them as estimated", async () => {
    await callOk(server.url, athlete.apiKey, "set_fitness_config", { values: { ftp: 300, maxHr: 190, restingHr: 50, lthr: 170, thresholdPaceSecPerKm: 250 } });
    const zones = await callOk<{ power: { min: number }[]; heartRate: { min: number }[]; estimated: string[] }>(
      server.url,
      athlete.apiKey,
      "calculate_personalized_zones",
    );
    expect(zones.power.map((z) => z.min)).toEqual([0, 165, 225, 270, 315, 360, 450].slice(0, zones.power.length));
    // Karvonen: resting + share x (max - resting), zone edges at 50/60/70/80/90% of the 140-bpm reserve.
    expect(zones.heartRate.map((z) => z.min)).toEqual([0.5, 0.6, 0.7, 0.8, 0.9].map((share) => 50 + share * 140));
    expect(zones.estimated).toEqual([]);
    const load = await callOk<Load>(server.url, athlete.apiKey, "analyze_training_load");
    expect(load.estimated).not.toContain("ftp");
  });

  it("reads sleep and HRV for recovery", async () => {
    const r = await callOk<{ components: { sleep: number | null; hrv: number | null }; weights: { hrv: number } }>(
      server.url,
      athlete.apiKey,
      "calculate_recovery_score",
    );
    // The synthetic athlete skips the watch 3% of nights: sleep is there on almost every run of this test.
    expect(r.components.sleep === null || r.components.sleep > 0).toBe(true);
    expect(r.weights.hrv === 0 || r.components.hrv !== null).toBe(true);
  });
});
