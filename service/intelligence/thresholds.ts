// The thresholds every formula needs, from the user's configuration when set, else estimated from their
// activities, with the method named so an answer can say "FTP estimated from your best 20 minutes".
//   FTP:   95% of the best 20-min power (Allen & Coggan, Training and Racing with a Power Meter, 2010);
//          or 95% of the best ride's NP/average power over >= 20 min when that is higher (both lower bounds).
//   LTHR:  best 20-min average heart rate (Friel's 30-min test takes the last 20 min, The Triathlete's
//          Training Bible); else 85% of max HR (the reference server's default ratio).
//   Max HR: highest heart rate recorded; else Tanaka, Monahan & Seals 2001: 208 - 0.7 x age.
//   Resting HR: 60 bpm population default (as the reference server) when not configured.
//   Threshold pace: the one-hour pace at the best run's VDOT (Daniels).
// Estimates take the best effort among the activities given: pass the recent ones (recentActivities with
// RECENT_FITNESS_DAYS), since last year's best is not today's threshold.
import { bestRollingAverage } from "./best-effort.js";
import { bestVdot } from "./best-vdot.js";
import { trainingSeconds } from "./activity-time.js";
import { sportFamily } from "./sport.js";
import { thresholdPaceForVdot } from "./threshold-pace.js";
import type { ActivityInput, FitnessConfig } from "./types.js";

export type ThresholdName = "ftp" | "lthr" | "maxHr" | "restingHr" | "thresholdPaceSecPerKm";

export interface ThresholdValue {
  value: number | null;
  source: "configured" | "estimated" | "missing";
  /** How an estimated value was obtained. */
  method: string | null;
}

export type Thresholds = Record<ThresholdName, ThresholdValue> & { estimated: ThresholdName[]; missing: ThresholdName[] };

const TWENTY_MINUTES = 1200;
const DEFAULT_RESTING_HR = 60;
const LTHR_FRACTION_OF_MAX = 0.85;

export function resolveThresholds(config: FitnessConfig, activities: readonly ActivityInput[]): Thresholds {
  const maxHr = configured(config.maxHr) ?? estimateMaxHr(config, activities);
  const values: Record<ThresholdName, ThresholdValue> = {
    ftp: configured(config.ftp) ?? estimateFtp(activities),
    maxHr,
    lthr: configured(config.lthr) ?? estimateLthr(activities, maxHr.value),
    restingHr: configured(config.restingHr) ?? estimated(DEFAULT_RESTING_HR, "population default 60 bpm"),
    thresholdPaceSecPerKm: configured(config.thresholdPaceSecPerKm) ?? estimateThresholdPace(activities),
  };
  const names = Object.keys(values) as ThresholdName[];
  return {
    ...values,
    estimated: names.filter((name) => values[name].source === "estimated"),
    missing: names.filter((name) => values[name].source === "missing"),
  };
}

function configured(value: number | undefined): ThresholdValue | undefined {
  return value !== undefined && value > 0 ? { value, source: "configured", method: null } : undefined;
}

function estimated(value: number, method: string): ThresholdValue {
  return { value, source: "estimated", method };
}

const MISSING: ThresholdValue = Object.freeze({ value: null, source: "missing", method: null });

function estimateFtp(activities: readonly ActivityInput[]): ThresholdValue {
  let bestStream = 0;
  let bestSummary = 0;
  for (const activity of activities) {
    if (sportFamily(activity.sport) !== "ride") continue;
    const { streams } = activity;
    if (streams?.watts) bestStream = Math.max(bestStream, bestRollingAverage(streams.time, streams.watts, TWENTY_MINUTES) ?? 0);
    if (trainingSeconds(activity) >= TWENTY_MINUTES) bestSummary = Math.max(bestSummary, activity.normalizedPower ?? activity.averagePower ?? 0);
  }
  // Both are lower bounds on FTP, so the larger is the better estimate.
  if (bestStream > 0 && bestStream >= bestSummary) return estimated(0.95 * bestStream, "95% of best 20-min power (a lower bound unless that was an all-out effort)");
  if (bestSummary > 0) return estimated(0.95 * bestSummary, "95% of best ride NP/average power over 20+ min (a lower bound)");
  return MISSING;
}

function estimateMaxHr(config: FitnessConfig, activities: readonly ActivityInput[]): ThresholdValue {
  let highest = 0;
  for (const activity of activities) {
    highest = Math.max(highest, activity.maxHeartRate ?? 0);
    for (const bpm of activity.streams?.heartrate ?? []) if (bpm !== null && bpm > highest) highest = bpm;
  }
  if (highest > 0) return estimated(highest, "highest heart rate recorded");
  if (config.age !== undefined) return estimated(208 - 0.7 * config.age, "Tanaka 208 - 0.7 x age");
  return MISSING;
}

function estimateLthr(activities: readonly ActivityInput[], maxHr: number | null): ThresholdValue {
  let best = 0;
  for (const { streams } of activities) {
    if (streams?.heartrate) best = Math.max(best, bestRollingAverage(streams.time, streams.heartrate, TWENTY_MINUTES) ?? 0);
  }
  if (best > 0) return estimated(best, "best 20-min average heart rate (a lower bound unless that was an all-out effort)");
  if (maxHr !== null) return estimated(LTHR_FRACTION_OF_MAX * maxHr, "85% of max heart rate");
  return MISSING;
}

function estimateThresholdPace(activities: readonly ActivityInput[]): ThresholdValue {
  const best = bestVdot(activities);
  if (!best) return MISSING;
  return estimated(thresholdPaceForVdot(best.vdot), `one-hour pace at VDOT ${best.vdot.toFixed(1)} (best run)`);
}
