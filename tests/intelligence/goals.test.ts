// Goal progress, feasibility and suggestions over hand-built histories.
import { describe, expect, it } from "vitest";
import { dateOf, dayOf, goalFeasibility, goalProgress, raceTimeForVdot, suggestGoals, type GoalInput } from "../../service/intelligence/index.js";
import { activity, hms } from "../support/training.js";

/** A 10 km run in 50:00 every other day from `from`, `count` of them. */
const runs = (from: string, count: number, seconds = 3000) =>
  Array.from({ length: count }, (_, i) => activity({ startTime: `${dateOf(dayOf(from) + 2 * i)}T07:00:00Z`, distanceMeters: 10_000, movingSeconds: seconds, elapsedSeconds: seconds }));

const distanceGoal: GoalInput = { id: "g1", type: "distance", sport: "run", targetValue: 200_000, startDate: "2026-01-01", targetDate: "2026-01-31" };

describe("goal progress", () => {
  it("distance: done so far, the pro-rata expectation and the projection", () => {
    const progress = goalProgress(distanceGoal, [...runs("2026-01-01", 8), activity({ sport: "Ride", startTime: "2026-01-02T07:00:00Z", distanceMeters: 50_000 })], "2026-01-15");
    expect(progress.current).toBe(80_000);
    expect(progress.percentComplete).toBeCloseTo(40, 9);
    expect(progress.expectedByNow).toBeCloseTo((200_000 * 15) / 31, 6);
    expect(progress.projectedAtTargetDate).toBeCloseTo((80_000 / 15) * 31, 6);
    expect(progress.onTrack).toBe(false); // 165 km projected for 200 km
    expect(progress.daysRemaining).toBe(16);
  });

  it("before its start date a goal is neither on nor off track", () => {
    expect(goalProgress(distanceGoal, runs("2025-12-01", 3), "2025-12-20")).toMatchObject({ current: 0, daysElapsed: 0, onTrack: null, projectedAtTargetDate: null });
  });

  it("frequency and volume count sessions and hours", () => {
    const history = runs("2026-01-01", 5);
    expect(goalProgress({ ...distanceGoal, type: "frequency", targetValue: 12 }, history, "2026-01-15").current).toBe(5);
    expect(goalProgress({ ...distanceGoal, type: "volume", targetValue: 20 }, history, "2026-01-15").current).toBeCloseTo(5 * (50 / 60), 9);
  });

  it("race time: predicted from the best recent run's VDOT", () => {
    // 10 km in 41:21 is VDOT 50 (Daniels' table); the marathon equivalent is about 3:10:49.
    const goal: GoalInput = { id: "g2", type: "race_time", targetValue: hms("3:15:00"), raceDistanceMeters: 42_195, startDate: "2026-01-01", targetDate: "2026-04-01" };
    const progress = goalProgress(goal, runs("2026-01-01", 1, hms("41:21")), "2026-01-15");
    expect(Math.abs(progress.current! / hms("3:10:49") - 1)).toBeLessThan(0.01);
    expect(progress.onTrack).toBe(true);
    expect(progress.estimated).toHaveLength(1);
  });

  it("race time without a recent run: unknown and what is missing", () => {
    const goal: GoalInput = { id: "g3", type: "race_time", targetValue: 3000, raceDistanceMeters: 10_000, startDate: "2026-01-01", targetDate: "2026-04-01" };
    expect(goalProgress(goal, runs("2025-01-01", 3), "2026-01-15")).toMatchObject({ current: null, onTrack: null, missing: ["a run in the last 90 days"] });
  });
});

describe("goal feasibility", () => {
  it("cumulative: likely when the needed weekly rate is within recent load, unlikely far beyond", () => {
    const history = runs("2025-12-01", 20); // 10 km every other day: 35 km/week lately
    const easy = goalFeasibility({ ...distanceGoal, targetValue: 130_000, startDate: "2026-01-09", targetDate: "2026-02-05" }, history, "2026-01-08");
    expect(easy.verdict).toBe("likely");
    expect(easy.current).toBeCloseTo(35_000, 6);
    expect(easy.required).toBeCloseTo(32_500, 6);
    const hard = goalFeasibility({ ...distanceGoal, targetValue: 400_000, startDate: "2026-01-09", targetDate: "2026-02-05" }, history, "2026-01-08");
    expect(hard.verdict).toBe("unlikely");
    expect(hard.ratio!).toBeGreaterThan(1.3);
    expect(hard.reasons).toHaveLength(2);
  });

  it("race time: compares the VDOT needed with the current one", () => {
    const history = runs("2026-01-01", 1, hms("41:21")); // VDOT ~50
    const goal = (time: number): GoalInput => ({ id: "g4", type: "race_time", targetValue: time, raceDistanceMeters: 10_000, startDate: "2026-01-01", targetDate: "2026-03-26" });
    expect(goalFeasibility(goal(hms("42:00")), history, "2026-01-01").verdict).toBe("likely");
    expect(goalFeasibility(goal(Math.round(raceTimeForVdot(52, 10_000))), history, "2026-01-01").verdict).toBe("possible"); // +2 in 12 weeks
    expect(goalFeasibility(goal(hms("35:22")), history, "2026-01-01").verdict).toBe("unlikely"); // VDOT 60
  });
});

describe("goal suggestions", () => {
  it("proposes 10% more distance, one more session a week and a 10k one VDOT point faster", () => {
    const { suggestions } = suggestGoals(runs("2025-12-12", 14), "2026-01-08");
    const byType = Object.fromEntries(suggestions.map((s) => [s.type, s]));
    expect(byType.distance).toMatchObject({ sport: "run", targetValue: 154_000, startDate: "2026-01-09", targetDate: "2026-02-05" });
    expect(byType.frequency.targetValue).toBe(16);
    expect(byType.race_time.raceDistanceMeters).toBe(10_000);
    expect(byType.race_time.targetValue).toBeLessThan(3000);
  });

  it("nothing recent: no suggestions, and says why", () => {
    expect(suggestGoals([], "2026-01-08")).toEqual({ suggestions: [], estimated: [], missing: ["activities in the last 4 weeks"] });
  });
});
