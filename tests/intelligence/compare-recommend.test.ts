// Activity comparison and training recommendations.
import { describe, expect, it } from "vitest";
import {
  analyzeTrainingLoad,
  buildDailyTssSeries,
  compareActivities,
  dateOf,
  dayOf,
  detectPatterns,
  activityStress,
  fitnessScore,
  recoveryScore,
  resolveThresholds,
  trainingRecommendations,
  type ActivityInput,
} from "../../service/intelligence/index.js";
import { activity } from "../support/training.js";

describe("compareActivities", () => {
  const thresholds = resolveThresholds({ lthr: 165, ftp: 250 }, []);

  it("differences are second minus first, with efficiency factor as speed per beat", () => {
    const before = activity({ movingSeconds: 3000, averageHeartRate: 150 }); // 10 km: 200 m/min
    const after = activity({ movingSeconds: 2880, averageHeartRate: 150, startTime: "2026-02-05T08:00:00Z" }); // 208.3 m/min
    const comparison = compareActivities(before, after, thresholds, {});
    expect(comparison.difference.seconds).toBe(-120);
    expect(comparison.difference.paceSecPerKm).toBeCloseTo(-12, 9);
    expect(comparison.first.efficiencyFactor).toBeCloseTo(200 / 150, 9);
    expect(comparison.difference.efficiencyFactor).toBeCloseTo(10_000 / 48 / 150 - 200 / 150, 9);
    expect(comparison.difference.power).toBeNull();
    expect(comparison.sameSport).toBe(true);
  });

  it("rides compare NP per beat", () => {
    const ride = (power: number) => activity({ sport: "Ride", averagePower: power, averageHeartRate: 140, distanceMeters: 30_000 });
    const comparison = compareActivities(ride(200), ride(210), thresholds, {});
    expect(comparison.second.efficiencyFactor).toBeCloseTo(1.5, 9);
    expect(comparison.difference.tss).toBeCloseTo(((210 / 250) ** 2 - (200 / 250) ** 2) * 100, 9);
  });
});

describe("trainingRecommendations", () => {
  const thresholds = resolveThresholds({ lthr: 160 }, []);
  const today = "2026-03-01";
  const session = (daysAgo: number, hours: number, hr: number) =>
    activity({ startTime: `${dateOf(dayOf(today) - daysAgo)}T07:00:00Z`, movingSeconds: hours * 3600, elapsedSeconds: hours * 3600, averageHeartRate: hr });

  function recommend(activities: ActivityInput[]) {
    const series = buildDailyTssSeries(activities, thresholds, today);
    const load = analyzeTrainingLoad(series, today);
    const fitness = fitnessScore(activities.map((a) => activityStress(a, thresholds)), load.ctl, today);
    const patterns = detectPatterns(activities, series, today);
    return trainingRecommendations({ load, fitness, patterns, recovery: recoveryScore({ tsb: load.tsb, sleep: null, hrv: null }) });
  }

  it("hard every day: recover, and make more sessions easy", () => {
    const hard = Array.from({ length: 60 }, (_, i) => session(i, i < 7 ? 2.5 : 1, 158));
    const categories = recommend(hard).recommendations.map((r) => `${r.category}:${r.priority}`);
    expect(categories).toContain("recovery:high");
    expect(categories).toContain("intensity:medium");
  });

  it("two easy sessions a week, then ten days off: consistency, and room to grow", () => {
    const sparse = Array.from({ length: 16 }, (_, i) => session(10 + Math.round(i * 3.5), 2.5, 110)); // IF 0.69
    const { recommendations } = recommend(sparse);
    expect(recommendations.map((r) => r.category).sort()).toEqual(["consistency", "load"]);
    expect(recommendations.find((r) => r.category === "consistency")?.reason).toMatch(/^1\.\d sessions a week/);
    expect(recommendations.find((r) => r.category === "load")?.reason).toMatch(/^TSB 1\d\.\d/);
  });
});
