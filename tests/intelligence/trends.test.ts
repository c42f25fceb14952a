// Regression significance against a published dataset, and per-activity trends.
import { describe, expect, it } from "vitest";
import { dateOf, dayOf, linearRegression, performanceTrend } from "../../service/intelligence/index.js";
import { activity } from "../support/training.js";

describe("linear regression", () => {
  it("Anscombe's quartet, set I (Anscombe, The American Statistician 27 (1973) 17-21): y = 3.00 + 0.500 x, r² 0.667, p 0.0022", () => {
    const x = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
    const y = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];
    const r = linearRegression(x, y);
    expect(r.slope).toBeCloseTo(0.5001, 4);
    expect(r.intercept).toBeCloseTo(3.0001, 4);
    expect(r.rSquared).toBeCloseTo(0.6665, 4);
    expect(r.standardError).toBeCloseTo(0.1179, 4);
    expect(r.pValue).toBeCloseTo(0.00217, 5);
    // 95% CI = slope ± t(0.975, 9) x SE, t = 2.262 (Student's t table).
    expect(r.ci95![0]).toBeCloseTo(0.5001 - 2.2622 * 0.1179, 3);
    expect(r.ci95![1]).toBeCloseTo(0.5001 + 2.2622 * 0.1179, 3);
  });

  it("gives no significance below three points", () => {
    expect(linearRegression([1, 2], [3, 5])).toMatchObject({ slope: 2, pValue: null, ci95: null });
  });
});

describe("performance trend", () => {
  const start = "2026-01-01";
  const run = (day: number, seconds: number) =>
    activity({ startTime: `${dateOf(dayOf(start) + day)}T07:00:00Z`, distanceMeters: 10_000, movingSeconds: seconds, elapsedSeconds: seconds });

  it("a steadily faster pace is improving, with a small p-value", () => {
    const runs = Array.from({ length: 12 }, (_, i) => run(i * 7, 3000 - i * 10 + (i % 3) * 4));
    const trend = performanceTrend(runs, { metric: "pace", from: start, today: "2026-03-31" });
    expect(trend.direction).toBe("improving");
    expect(trend.slopePerWeek!).toBeLessThan(0);
    expect(trend.pValue!).toBeLessThan(0.001);
  });

  it("noise without drift is 'no significant change'", () => {
    const runs = [3000, 3060, 2990, 3050, 3010, 2980, 3070, 2995].map((s, i) => run(i * 7, s));
    const trend = performanceTrend(runs, { metric: "pace", from: start, today: "2026-03-31" });
    expect(trend.direction).toBe("no significant change");
    expect(trend.pValue!).toBeGreaterThan(0.05);
  });

  it("one activity is insufficient data, and says what is missing", () => {
    const trend = performanceTrend([run(0, 3000)], { metric: "pace", from: start, today: "2026-03-31" });
    expect(trend).toMatchObject({ direction: "insufficient data", slopePerWeek: null, points: 1 });
    expect(trend.missing).toHaveLength(1);
  });

  it("filters by sport", () => {
    const rides = Array.from({ length: 5 }, (_, i) => ({ ...run(i * 7, 3000), sport: "Ride" }));
    expect(performanceTrend(rides, { metric: "distance", from: start, today: "2026-03-31", sport: "run" }).points).toBe(0);
    expect(performanceTrend(rides, { metric: "distance", from: start, today: "2026-03-31", sport: "cycling" }).points).toBe(5);
  });
});
