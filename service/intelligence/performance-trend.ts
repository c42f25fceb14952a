// Trend of one per-activity metric over a period: least-squares slope per week with its p-value and 95%
// interval. Direction is only claimed when p < 0.05; otherwise the answer is "no significant change".
import { averageSpeed, trainingSeconds } from "./activity-time.js";
import { dayOf, localDay } from "./calendar.js";
import { linearRegression, type Regression } from "./regression.js";
import { matchesSport } from "./sport.js";
import type { ActivityInput, Provenance } from "./types.js";

export type TrendMetric = "pace" | "heart_rate" | "power" | "distance" | "duration";

/** Whether a rising value is an improvement (null: neither, e.g. heart rate without context). */
const HIGHER_IS_BETTER: Record<TrendMetric, boolean | null> = {
  pace: false,
  heart_rate: null,
  power: true,
  distance: true,
  duration: true,
};

export const TREND_UNITS: Record<TrendMetric, string> = {
  pace: "s/km",
  heart_rate: "bpm",
  power: "W",
  distance: "m",
  duration: "s",
};

export interface PerformanceTrend extends Provenance {
  metric: TrendMetric;
  unit: string;
  points: number;
  /** Change per week in `unit`. */
  slopePerWeek: number | null;
  ci95PerWeek: [number, number] | null;
  pValue: number | null;
  rSquared: number | null;
  direction: "improving" | "declining" | "rising" | "falling" | "no significant change" | "insufficient data";
}

const SIGNIFICANCE = 0.05;

function metricValue(activity: ActivityInput, metric: TrendMetric): number | undefined {
  switch (metric) {
    case "pace": {
      const speed = averageSpeed(activity);
      return speed === undefined ? undefined : 1000 / speed;
    }
    case "heart_rate":
      return activity.averageHeartRate;
    case "power":
      return activity.normalizedPower ?? activity.averagePower;
    case "distance":
      return activity.distanceMeters;
    case "duration":
      return trainingSeconds(activity);
  }
}

export function performanceTrend(
  activities: readonly ActivityInput[],
  options: { metric: TrendMetric; from: string; today: string; sport?: string },
): PerformanceTrend {
  const from = dayOf(options.from);
  const to = dayOf(options.today);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const activity of activities) {
    if (!matchesSport(activity.sport, options.sport)) continue;
    const day = localDay(activity.startTime, activity.utcOffsetMinutes);
    const value = metricValue(activity, options.metric);
    if (day < from || day > to || value === undefined || !(value > 0)) continue;
    xs.push((day - from) / 7);
    ys.push(value);
  }
  const regression = linearRegression(xs, ys);
  const missing = regression.pValue === null ? [`at least 3 activities with ${options.metric} on different days`] : [];
  return {
    metric: options.metric,
    unit: TREND_UNITS[options.metric],
    points: regression.n,
    slopePerWeek: regression.pValue === null ? null : regression.slope,
    ci95PerWeek: regression.ci95,
    pValue: regression.pValue,
    rSquared: regression.pValue === null ? null : regression.rSquared,
    direction: direction(regression, HIGHER_IS_BETTER[options.metric]),
    estimated: [],
    missing,
  };
}

function direction(regression: Regression, higherIsBetter: boolean | null): PerformanceTrend["direction"] {
  if (regression.pValue === null) return "insufficient data";
  if (regression.pValue >= SIGNIFICANCE) return "no significant change";
  const rising = regression.slope > 0;
  if (higherIsBetter === null) return rising ? "rising" : "falling";
  return rising === higherIsBetter ? "improving" : "declining";
}
