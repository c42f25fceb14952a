// Every result type must survive JSON (MCP structuredContent): no undefined fields, NaN or Infinity, and
// carry its estimated/missing lists. Checked on a small mixed history and on an empty one. Also covers the
// composite results (fitness score, race prediction, activity analysis) on their own terms.
import { describe, expect, it } from "vitest";
import {
  analyzeActivity,
  analyzeTrainingLoad,
  activityStress,
  buildDailyTssSeries,
  compareActivities,
  dailyNutrition,
  dateOf,
  dayOf,
  detectPatterns,
  fitnessScore,
  goalFeasibility,
  goalProgress,
  hrvStatus,
  performanceTrend,
  personalizedZones,
  predictRaceTime,
  recoveryScore,
  resolveThresholds,
  sleepQuality,
  sleepTrends,
  suggestGoals,
  suggestRestDay,
  trainingRecommendations,
  type ActivityInput,
  type FitnessConfig,
  type GoalInput,
} from "../../service/intelligence/index.js";
import { activity, hms, sleepNight, stream } from "../support/training.js";

const today = "2026-02-28";

function history(): ActivityInput[] {
  const out: ActivityInput[] = [];
  for (let i = 0; i < 60; i += 1) {
    const date = dateOf(dayOf(today) - 60 + i);
    if (i % 3 === 0) out.push(activity({ startTime: `${date}T06:30:00Z`, utcOffsetMinutes: 60, averageHeartRate: 150, maxHeartRate: 181 }));
    if (i % 3 === 1) {
      out.push(activity({ sport: "Ride", startTime: `${date}T16:00:00Z`, distanceMeters: 40_000, averagePower: 190, streams: stream(3600, { watts: (t) => 170 + (t % 300 < 60 ? 120 : 0), heartrate: 140 }, 2) }));
    }
  }
  out.push(activity({ startTime: `${dateOf(dayOf(today) - 3)}T08:00:00Z`, distanceMeters: 5000, movingSeconds: hms("21:30"), elapsedSeconds: hms("21:40") }));
  out.push(activity({ sport: "Swim", startTime: `${dateOf(dayOf(today) - 1)}T12:00:00Z`, distanceMeters: 2000, movingSeconds: 2700, elapsedSeconds: 2700 }));
  return out;
}

function everyResult(activities: ActivityInput[], config: FitnessConfig): Record<string, unknown> {
  const thresholds = resolveThresholds(config, activities);
  const series = buildDailyTssSeries(activities, thresholds, today);
  const load = analyzeTrainingLoad(series, today);
  const nights = Array.from({ length: 8 }, (_, i) => sleepNight(dateOf(dayOf(today) - 7 + i), { durationMinutes: 400 + 10 * i, deepMinutes: 80, remMinutes: 100, efficiencyPercent: 88 }));
  const sleep = activities.length ? sleepQuality(nights[7]) : null;
  const hrv = hrvStatus(activities.length ? Array.from({ length: 8 }, (_, i) => ({ date: dateOf(dayOf(today) - 7 + i), rmssd: 55 + (i % 3) })) : [], today);
  const recovery = recoveryScore({ tsb: load.tsb, sleep, hrv });
  const patterns = detectPatterns(activities, series, today);
  const fitness = fitnessScore(activities.map((a) => activityStress(a, thresholds)), load.ctl, today);
  const goal: GoalInput = { id: "g", type: "race_time", targetValue: hms("45:00"), raceDistanceMeters: 10_000, startDate: "2026-01-01", targetDate: "2026-06-01" };
  return {
    thresholds,
    series,
    load,
    stresses: activities.map((a) => activityStress(a, thresholds)),
    analyses: activities.map((a) => analyzeActivity(a, thresholds, config)),
    zones: personalizedZones(thresholds),
    fitness,
    comparison: activities.length ? compareActivities(activities[0], activities[activities.length - 1], thresholds, config) : null,
    recommendations: trainingRecommendations({ load, fitness, patterns, recovery }),
    prediction: predictRaceTime(activities, 21_097.5),
    trend: performanceTrend(activities, { metric: "power", from: "2026-01-01", today }),
    patterns,
    sleep,
    sleepTrends: sleepTrends(activities.length ? nights : []),
    recovery,
    rest: suggestRestDay({ load, series, recovery, sleep, hrv, acuteChronicRatio: patterns.loadJumps.currentRatio }),
    nutrition: dailyNutrition(config, "moderately_active", 1.5),
    progress: goalProgress(goal, activities, today),
    feasibility: goalFeasibility(goal, activities, today),
    suggestions: suggestGoals(activities, today),
  };
}

/** Paths of values JSON cannot carry faithfully. */
function unfaithful(value: unknown, path = "$"): string[] {
  if (value === undefined || (typeof value === "number" && !Number.isFinite(value))) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => unfaithful(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => unfaithful(v, `${path}.${k}`));
  return [];
}

describe("results are JSON-serialisable and carry provenance", () => {
  const cases: Array<[string, ActivityInput[], FitnessConfig]> = [
    ["mixed history, nothing configured", history(), {}],
    ["mixed history, full configuration", history(), { ftp: 250, lthr: 165, maxHr: 188, restingHr: 48, thresholdPaceSecPerKm: 255, weightKg: 70, heightCm: 178, age: 35, sex: "female" }],
    ["no activities at all", [], {}],
  ];
  for (const [name, activities, config] of cases) {
    it(name, () => {
      const results = everyResult(activities, config);
      expect(unfaithful(results)).toEqual([]);
      expect(JSON.parse(JSON.stringify(results))).toStrictEqual(results);
      for (const [key, result] of Object.entries(results)) {
        for (const item of Array.isArray(result) ? result : result === null ? [] : [result]) {
          expect(item, key).toHaveProperty("estimated");
          expect(item, key).toHaveProperty("missing");
        }
      }
    });
  }
});

describe("composite results", () => {
  it("fitness score from 6 weeks of 5 one-hour easy sessions a week at CTL 50", () => {
    const thresholds = resolveThresholds({ lthr: 170 }, []);
    const stresses = Array.from({ length: 42 }, (_, i) => i)
      .filter((i) => i % 7 < 5)
      .map((i) => activityStress(activity({ startTime: `${dateOf(dayOf(today) - i)}T07:00:00Z`, averageHeartRate: 119 }), thresholds)); // IF 0.7
    const score = fitnessScore(stresses, 50, today);
    expect(score.sessionsPerWeek).toBeCloseTo(5, 9);
    // All sessions easy: 100% against the 80% target -> balance 1 - 0.2 / 0.8 = 0.75.
    expect(score.components).toEqual({ consistency: 1, load: 0.5, volume: 0.5, balance: 0.75 });
    expect(score.score).toBeCloseTo(100 * (0.25 + 0.35 * 0.5 + 0.25 * 0.5 + 0.15 * 0.75), 9);
  });

  it("race prediction: a 5k in 20:00 predicts a half marathon by VDOT and by Riegel", () => {
    const prediction = predictRaceTime([activity({ distanceMeters: 5000, movingSeconds: 1200, elapsedSeconds: 1200 })], 21_097.5);
    expect(prediction.basis?.vdot).toBeCloseTo(49.8, 1);
    // Daniels' table: VDOT 50 half = 1:31:35, so VDOT 49.8 is a little slower; Riegel: 1200 x 4.2195^1.06.
    expect(prediction.vdotSeconds!).toBeGreaterThan(hms("1:31:35"));
    expect(prediction.vdotSeconds!).toBeLessThan(hms("1:32:30"));
    expect(prediction.riegelSeconds).toBeCloseTo(1200 * 4.2195 ** 1.06, 6);
  });

  it("activity analysis: time in zones adds up to the recorded time; VI = NP / average power", () => {
    const ride = activity({ sport: "Ride", distanceMeters: 35_000, averagePower: 195, averageHeartRate: 150, streams: stream(3600, { watts: (t) => (t < 1800 ? 100 : 290), heartrate: 150 }) });
    const analysis = analyzeActivity(ride, resolveThresholds({ ftp: 250, maxHr: 190, restingHr: 50 }, []), { sex: "male" });
    expect(analysis.powerZoneSeconds!.reduce((a, b) => a + b)).toBe(3600);
    expect(analysis.powerZoneSeconds![0]).toBe(1800); // 100 W < 55% of 250
    expect(analysis.powerZoneSeconds![4]).toBe(1800); // 290 W = 116% of FTP: level 5 (105-120%)
    expect(analysis.heartRateZoneSeconds!.reduce((a, b) => a + b)).toBe(3600);
    expect(analysis.variabilityIndex).toBeCloseTo(analysis.stress.power! / 195, 9);
    expect(analysis.trimp).toBeCloseTo(60 * (100 / 140) * 0.64 * Math.exp(1.92 * (100 / 140)), 9);
  });

  it("activity analysis without max HR: no TRIMP, and max HR named missing", () => {
    const analysis = analyzeActivity(activity({ averageHeartRate: 150 }), resolveThresholds({ lthr: 165 }, []), {});
    expect(analysis.trimp).toBeNull();
    expect(analysis.missing).toContain("maxHr");
  });
});
