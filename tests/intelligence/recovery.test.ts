// Sleep quality, HRV status, recovery score and the rest-day rule, on nights and days built by hand.
import { describe, expect, it } from "vitest";
import {
  analyzeTrainingLoad,
  buildDailyTssSeries,
  dateOf,
  dayOf,
  hrvStatus,
  recoveryScore,
  resolveThresholds,
  sleepQuality,
  sleepTrends,
  suggestRestDay,
} from "../../service/intelligence/index.js";
import { activity, sleepNight } from "../support/training.js";

const ideal = { durationMinutes: 480, deepMinutes: 96, remMinutes: 120, lightMinutes: 264, awakeMinutes: 20, efficiencyPercent: 95 };

describe("sleep quality", () => {
  it("8 h with 20% deep, 25% REM and 95% efficiency scores 100", () => {
    expect(sleepQuality(sleepNight("2026-01-10", ideal))).toMatchObject({ score: 100, deepShare: 20, remShare: 25 });
  });

  it("6 h, 10% deep, 15% REM, 80% efficiency: 0.4 x 50 + 0.35 x 75 + 0.25 x 50 = 58.75", () => {
    const q = sleepQuality(sleepNight("2026-01-10", { durationMinutes: 360, deepMinutes: 36, remMinutes: 54, efficiencyPercent: 80 }));
    expect(q.components).toEqual({ duration: 50, stages: 75, efficiency: 50 });
    expect(q.score).toBeCloseTo(58.75, 9);
  });

  it("without stages, duration and efficiency are reweighted and stages named missing", () => {
    const q = sleepQuality(sleepNight("2026-01-10", { durationMinutes: 360, efficiencyPercent: 80 }));
    expect(q.score).toBeCloseTo((0.4 * 50 + 0.25 * 50) / 0.65, 9);
    expect(q.missing).toEqual(["sleep stages"]);
  });

  it("derives duration and efficiency from time in bed and awake minutes, and says so", () => {
    const q = sleepQuality(sleepNight("2026-01-10", { awakeMinutes: 48 })); // 8 h in bed
    expect(q.asleepHours).toBeCloseTo(7.2, 9);
    expect(q.efficiencyPercent).toBeCloseTo(90, 9);
    expect(q.estimated).toHaveLength(2);
  });

  it("efficiency from time asleep over time in bed when only the duration is given", () => {
    const q = sleepQuality(sleepNight("2026-01-10", { durationMinutes: 432 })); // 7.2 h of 8 h in bed
    expect(q.efficiencyPercent).toBeCloseTo(90, 9);
    expect(q.estimated).toEqual(["sleep efficiency (time asleep / time in bed)"]);
  });

  it("trends need 7 nights", () => {
    const nights = Array.from({ length: 6 }, (_, i) => sleepNight(dateOf(dayOf("2026-01-01") + i), { durationMinutes: 420 + i * 10 }));
    expect(sleepTrends(nights).duration.slopePerNight).toBeNull();
    const seven = [...nights, sleepNight("2026-01-07", { durationMinutes: 480 })];
    const trend = sleepTrends(seven);
    expect(trend.duration.slopePerNight).toBeCloseTo(10 / 60, 9);
    expect(trend.nights).toBe(7);
  });
});

describe("HRV status", () => {
  const baseline = ["2026-01-03", "2026-01-04", "2026-01-05", "2026-01-06"].map((date, i) => ({ date, rmssd: [60, 66, 54, 60][i] }));

  it("scores today's ln rMSSD against the 7-day baseline", () => {
    const low = hrvStatus([...baseline, { date: "2026-01-07", rmssd: 45 }], "2026-01-07")!;
    const logs = [60, 66, 54, 60].map(Math.log);
    const mean = logs.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(logs.reduce((s, v) => s + (v - mean) ** 2, 0) / 3);
    expect(low.z).toBeCloseTo((Math.log(45) - mean) / sd, 9);
    expect(low.z).toBeLessThan(-2);
    expect(low.score).toBe(0);
  });

  it("needs today's reading and 3 baseline days", () => {
    expect(hrvStatus(baseline, "2026-01-07")).toBeNull();
    expect(hrvStatus([baseline[0], { date: "2026-01-07", rmssd: 60 }], "2026-01-07")).toBeNull();
  });
});

describe("recovery score", () => {
  const good = sleepQuality(sleepNight("2026-01-10", ideal));

  it("weights TSB 0.4 / sleep 0.4 / HRV 0.2", () => {
    const r = recoveryScore({ tsb: 0, sleep: good, hrv: { rmssd: 60, baselineRmssd: 60, z: 0, score: 50 } });
    expect(r.score).toBeCloseTo(0.4 * 50 + 0.4 * 100 + 0.2 * 50, 9);
    expect(r.missing).toEqual([]);
  });

  it("0.5 / 0.5 without HRV, and says HRV is missing", () => {
    const r = recoveryScore({ tsb: -20, sleep: good, hrv: null });
    expect(r.score).toBeCloseTo(50, 9);
    expect(r.weights).toEqual({ tsb: 0.5, sleep: 0.5, hrv: 0 });
    expect(r.missing).toEqual(["HRV"]);
  });

  it("unknown with nothing to go on", () => {
    expect(recoveryScore({ tsb: null, sleep: null, hrv: null })).toMatchObject({ score: null, status: "unknown" });
  });
});

describe("rest-day suggestion", () => {
  const thresholds = resolveThresholds({ lthr: 160 }, []);
  const days = (from: string, n: number, hours: number) =>
    Array.from({ length: n }, (_, i) => activity({ startTime: `${dateOf(dayOf(from) + i)}T07:00:00Z`, movingSeconds: hours * 3600, averageHeartRate: 160 }));

  function suggest(activities: ReturnType<typeof days>, today: string, sleepMinutes: number) {
    const series = buildDailyTssSeries(activities, thresholds, today);
    const load = analyzeTrainingLoad(series, today);
    const sleep = sleepQuality(sleepNight(today, { ...ideal, durationMinutes: sleepMinutes }));
    const recovery = recoveryScore({ tsb: load.tsb, sleep, hrv: null });
    return suggestRestDay({ load, series, recovery, sleep, hrv: null, acuteChronicRatio: null });
  }

  it("recommends rest after a hard block on short sleep, with the reasons", () => {
    const activities = [...days("2025-09-01", 120, 0.75), ...days("2025-12-30", 8, 2.5)];
    const advice = suggest(activities, "2026-01-06", 300);
    expect(advice.restRecommended).toBe(true);
    expect(advice.consecutiveTrainingDays).toBeGreaterThanOrEqual(6);
    expect(advice.reasons.map((r) => r.reason).join(" | ")).toMatch(/overtraining risk high|training stress balance/);
    expect(advice.reasons.some((r) => r.reason.startsWith("last night's sleep"))).toBe(true);
  });

  it("counts a streak ending yesterday when today has no session yet", () => {
    const advice = suggest(days("2025-12-31", 6, 0.5), "2026-01-06", 480);
    expect(advice.consecutiveTrainingDays).toBe(6);
    expect(advice.reasons.map((r) => r.reason)).toContain("6 consecutive training days");
  });

  it("does not after easy, regular training and a good night", () => {
    const activities = days("2025-09-01", 120, 0.5).filter((_, i) => i % 2 === 0);
    const advice = suggest(activities, "2025-12-29", 480);
    expect(advice).toMatchObject({ restRecommended: false, reasons: [] });
  });
});
