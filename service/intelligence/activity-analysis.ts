// One activity in depth: its training stress, Banister TRIMP, pace, variability index (NP / average
// power: how steady a ride was; Allen & Coggan 2010) and time in heart-rate and power zones.
import { averageSpeed, trainingSeconds } from "./activity-time.js";
import { timeInZones } from "./time-in-zones.js";
import type { Thresholds } from "./thresholds.js";
import { activityStress, type ActivityStress } from "./training-stress.js";
import { banisterTrimp } from "./trimp.js";
import type { ActivityInput, FitnessConfig, Provenance } from "./types.js";
import { heartRateZones, powerZones } from "./zones.js";

export interface ActivityAnalysis extends Provenance {
  stress: ActivityStress;
  trimp: number | null;
  paceSecPerKm: number | null;
  variabilityIndex: number | null;
  /** Seconds per Karvonen zone 1-5, from the heart-rate stream. */
  heartRateZoneSeconds: number[] | null;
  /** Seconds per Coggan level 1-7, from the power stream. */
  powerZoneSeconds: number[] | null;
}

export function analyzeActivity(activity: ActivityInput, thresholds: Thresholds, config: FitnessConfig): ActivityAnalysis {
  const stress = activityStress(activity, thresholds);
  const estimated = [...stress.estimated];
  const missing = [...stress.missing];
  const { maxHr, restingHr, ftp } = thresholds;
  const hrKnown = maxHr.value !== null && restingHr.value !== null;
  let trimp: number | null = null;
  if (activity.averageHeartRate === undefined) missing.push("heart rate");
  else if (!hrKnown) missing.push("maxHr");
  else {
    if (config.sex === undefined) estimated.push("sex (male TRIMP weighting used)");
    trimp = banisterTrimp(trainingSeconds(activity) / 60, activity.averageHeartRate, restingHr.value as number, maxHr.value as number, config.sex ?? "male");
    for (const name of ["maxHr", "restingHr"] as const) if (thresholds.estimated.includes(name)) estimated.push(name);
  }
  const speed = averageSpeed(activity);
  const { streams } = activity;
  const hrZoneSeconds = streams?.heartrate && hrKnown ? timeInZones(streams.time, streams.heartrate, heartRateZones(restingHr.value as number, maxHr.value as number)) : null;
  const powerZoneSeconds = streams?.watts && ftp.value !== null ? timeInZones(streams.time, streams.watts, powerZones(ftp.value)) : null;
  const variabilityIndex = stress.method === "power" && activity.averagePower ? (stress.power as number) / activity.averagePower : null;
  return {
    stress,
    trimp,
    paceSecPerKm: speed === undefined ? null : 1000 / speed,
    variabilityIndex,
    heartRateZoneSeconds: hrZoneSeconds,
    powerZoneSeconds,
    estimated: [...new Set(estimated)],
    missing: [...new Set(missing)],
  };
}
