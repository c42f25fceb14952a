// Training stress of one activity, from the best data it has (configured thresholds first, see below):
//   power (cycling, FTP known): TSS = hours x IF^2 x 100, IF = NP / FTP (Coggan; NP from the power stream,
//     else the provider's NP, else average power). Equivalent to (s x NP x IF) / (FTP x 3600) x 100.
//   heart_rate (LTHR known): hrTSS = hours x (avg HR / LTHR)^2 x 100, the simplified form specified for
//     Pierre (shared/reference/domain.md); TrainingPeaks' own hrTSS integrates time in HR zones instead.
//   pace (foot sports with distance): IF = threshold pace / pace (speed ratio, as rTSS, but on average
//     pace: no grade adjustment, so hilly runs are under-scored); without a threshold pace,
//     IF = clamp(0.75 x 600 / pace, 0.5, 1.2) with pace in s/km (the reference server's fallback).
//   duration (nothing else): IF assumed 0.65 (easy aerobic), flagged as estimated.
import { averageSpeed, trainingSeconds } from "./activity-time.js";
import { localDay, dateOf } from "./calendar.js";
import { normalizedPower } from "./normalized-power.js";
import { sportFamily } from "./sport.js";
import type { ThresholdName, Thresholds } from "./thresholds.js";
import type { ActivityInput, Provenance } from "./types.js";

export type StressMethod = "power" | "heart_rate" | "pace" | "duration";

export interface ActivityStress extends Provenance {
  activityId: string;
  /** Local calendar date the activity started on. */
  date: string;
  tss: number;
  intensityFactor: number;
  method: StressMethod;
  /** Watts used for the power method (NP when available). */
  power: number | null;
  hours: number;
}

const ASSUMED_EASY_IF = 0.65;
const FALLBACK_PACE_SEC_PER_KM = 600;

export function activityStress(activity: ActivityInput, thresholds: Thresholds): ActivityStress {
  const hours = trainingSeconds(activity) / 3600;
  const date = dateOf(localDay(activity.startTime, activity.utcOffsetMinutes));
  const family = sportFamily(activity.sport);
  const ftp = thresholds.ftp.value;
  const lthr = thresholds.lthr.value;
  const power = family === "ride" ? activityPower(activity) : undefined;
  // Sensor data the activity has but could not use for want of a threshold: the answer should say so.
  const unusable: string[] = [];
  if (power !== undefined && ftp === null) unusable.push("ftp");
  // Average power understates a variable ride's cost (NP >= average): say when it stood in for NP.
  const powerEstimate = power?.source === "average" ? ["normalized power (average power used)"] : [];
  if (activity.averageHeartRate !== undefined && lthr === null) unusable.push("lthr");
  const result = (method: StressMethod, intensityFactor: number, provenance: Provenance, watts: number | null = null): ActivityStress => ({
    activityId: activity.id,
    date,
    tss: hours * intensityFactor ** 2 * 100,
    intensityFactor,
    method,
    power: watts,
    hours,
    estimated: provenance.estimated,
    missing: [...unusable, ...provenance.missing],
  });
  const used = (name: ThresholdName): Provenance => ({
    estimated: thresholds.estimated.includes(name) ? [name] : [],
    missing: [],
  });

  // Sensor methods in order of preference (power, heart rate, pace), but a threshold the athlete set beats
  // an estimated one: an FTP estimated from easy rides is only a lower bound and would inflate every
  // ride's TSS, where their configured LTHR prices the same ride correctly.
  const speed = averageSpeed(activity);
  const threshold = thresholds.thresholdPaceSecPerKm.value;
  const foot = family === "run" || family === "walk";
  const candidates: Array<{ threshold: ThresholdName; stress: () => ActivityStress }> = [];
  if (ftp !== null && power !== undefined) {
    candidates.push({
      threshold: "ftp",
      stress: () => result("power", power.watts / ftp, { estimated: [...used("ftp").estimated, ...powerEstimate], missing: [] }, power.watts),
    });
  }
  if (lthr !== null && activity.averageHeartRate !== undefined && activity.averageHeartRate > 0) {
    const hr = activity.averageHeartRate;
    candidates.push({ threshold: "lthr", stress: () => result("heart_rate", hr / lthr, used("lthr")) });
  }
  if (foot && speed !== undefined && threshold !== null) {
    candidates.push({ threshold: "thresholdPaceSecPerKm", stress: () => result("pace", (threshold * speed) / 1000, used("thresholdPaceSecPerKm")) });
  }
  const chosen = candidates.find((c) => thresholds[c.threshold].source === "configured") ?? candidates[0];
  if (chosen) return chosen.stress();

  if (foot && speed !== undefined) {
    const pace = 1000 / speed;
    const intensity = Math.min(1.2, Math.max(0.5, (0.75 * FALLBACK_PACE_SEC_PER_KM) / pace));
    return result("pace", intensity, { estimated: ["intensity (pace relative to 10:00/km)"], missing: ["thresholdPaceSecPerKm"] });
  }

  return result("duration", ASSUMED_EASY_IF, { estimated: ["intensity (assumed easy, IF 0.65)"], missing: missingSensors(activity) });
}

/** NP from the power stream, else the provider's NP, else average power. */
function activityPower(activity: ActivityInput): { watts: number; source: "stream" | "provider" | "average" } | undefined {
  const { streams } = activity;
  if (streams?.watts && streams.watts.length > 0) {
    const np = normalizedPower(streams.time, streams.watts);
    if (np !== undefined) return { watts: np, source: "stream" };
  }
  if (activity.normalizedPower !== undefined && activity.normalizedPower > 0) return { watts: activity.normalizedPower, source: "provider" };
  if (activity.averagePower !== undefined && activity.averagePower > 0) return { watts: activity.averagePower, source: "average" };
  return undefined;
}

function missingSensors(activity: ActivityInput): string[] {
  const missing: string[] = [];
  if (activity.averageHeartRate === undefined) missing.push("heart rate");
  if (activity.averagePower === undefined && !activity.streams?.watts) missing.push("power");
  return missing;
}
