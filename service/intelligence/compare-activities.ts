// Two activities side by side: the headline metrics of each and the difference (second minus first), so
// "was today's run better than last week's?" has numbers, including efficiency factor at equal effort.
import { analyzeActivity } from "./activity-analysis.js";
import { trainingSeconds } from "./activity-time.js";
import { efficiencyFactor } from "./efficiency-factor.js";
import type { Thresholds } from "./thresholds.js";
import { mergeProvenance, type ActivityInput, type FitnessConfig, type Provenance } from "./types.js";

export interface ComparedMetrics {
  activityId: string;
  sport: string;
  date: string;
  distanceMeters: number | null;
  seconds: number;
  paceSecPerKm: number | null;
  averageHeartRate: number | null;
  power: number | null;
  tss: number;
  efficiencyFactor: number | null;
}

type Metric = "distanceMeters" | "seconds" | "paceSecPerKm" | "averageHeartRate" | "power" | "tss" | "efficiencyFactor";
const METRICS: Metric[] = ["distanceMeters", "seconds", "paceSecPerKm", "averageHeartRate", "power", "tss", "efficiencyFactor"];

export interface ActivityComparison extends Provenance {
  first: ComparedMetrics;
  second: ComparedMetrics;
  /** second - first; null where either lacks the metric. */
  difference: Record<Metric, number | null>;
  sameSport: boolean;
}

export function compareActivities(first: ActivityInput, second: ActivityInput, thresholds: Thresholds, config: FitnessConfig): ActivityComparison {
  const a = metrics(first, thresholds, config);
  const b = metrics(second, thresholds, config);
  const difference = {} as Record<Metric, number | null>;
  for (const metric of METRICS) {
    const x = a.metrics[metric];
    const y = b.metrics[metric];
    difference[metric] = x === null || y === null ? null : y - x;
  }
  return { first: a.metrics, second: b.metrics, difference, sameSport: first.sport === second.sport, ...mergeProvenance([a.provenance, b.provenance]) };
}

function metrics(activity: ActivityInput, thresholds: Thresholds, config: FitnessConfig): { metrics: ComparedMetrics; provenance: Provenance } {
  const analysis = analyzeActivity(activity, thresholds, config);
  const power = analysis.stress.power;
  return {
    metrics: {
      activityId: activity.id,
      sport: activity.sport,
      date: analysis.stress.date,
      distanceMeters: activity.distanceMeters ?? null,
      seconds: trainingSeconds(activity),
      paceSecPerKm: analysis.paceSecPerKm,
      averageHeartRate: activity.averageHeartRate ?? null,
      power,
      tss: analysis.stress.tss,
      efficiencyFactor: efficiencyFactor(activity, power),
    },
    provenance: analysis,
  };
}
