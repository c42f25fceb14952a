// All zone sets the athlete's thresholds allow; a set whose threshold is missing is null and named.
import type { ThresholdName, Thresholds } from "./thresholds.js";
import type { Provenance } from "./types.js";
import { heartRateZones, paceZones, powerZones, vdotForThresholdPace, type PaceZone, type Zone } from "./zones.js";

export interface PersonalizedZones extends Provenance {
  heartRate: Zone[] | null;
  power: Zone[] | null;
  pace: PaceZone[] | null;
  /** VDOT behind the pace zones (from the threshold pace). */
  vdot: number | null;
}

/** The thresholds zones are built from (LTHR is not one of them: Karvonen uses max and resting HR). */
const ZONE_INPUTS: ThresholdName[] = ["maxHr", "restingHr", "ftp", "thresholdPaceSecPerKm"];

export function personalizedZones(thresholds: Thresholds): PersonalizedZones {
  const { maxHr, restingHr, ftp, thresholdPaceSecPerKm } = thresholds;
  const vdot = thresholdPaceSecPerKm.value === null ? null : vdotForThresholdPace(thresholdPaceSecPerKm.value);
  return {
    heartRate: maxHr.value !== null && restingHr.value !== null ? heartRateZones(restingHr.value, maxHr.value) : null,
    power: ftp.value === null ? null : powerZones(ftp.value),
    pace: vdot === null ? null : paceZones(vdot),
    vdot,
    estimated: ZONE_INPUTS.filter((name) => thresholds.estimated.includes(name)),
    missing: ZONE_INPUTS.filter((name) => thresholds.missing.includes(name)),
  };
}
