// All zone sets the athlete's thresholds allow; a set whose threshold is missing is null and named.
import type { Thresholds } from "./thresholds.js";
import type { Provenance } from "./types.js";
import { heartRateZones, paceZones, powerZones, vdotForThresholdPace, type PaceZone, type Zone } from "./zones.js";

export interface PersonalizedZones extends Provenance {
  heartRate: Zone[] | null;
  power: Zone[] | null;
  pace: PaceZone[] | null;
  /** VDOT behind the pace zones (from the threshold pace). */
  vdot: number | null;
}

export function personalizedZones(thresholds: Thresholds): PersonalizedZones {
  const { maxHr, restingHr, ftp, thresholdPaceSecPerKm } = thresholds;
  const vdot = thresholdPaceSecPerKm.value === null ? null : vdotForThresholdPace(thresholdPaceSecPerKm.value);
  const used = (names: Array<keyof Thresholds>) => names.filter((name) => thresholds.estimated.includes(name as string)) as string[];
  return {
    heartRate: maxHr.value !== null && restingHr.value !== null ? heartRateZones(restingHr.value, maxHr.value) : null,
    power: ftp.value === null ? null : powerZones(ftp.value),
    pace: vdot === null ? null : paceZones(vdot),
    vdot,
    estimated: [...used(["maxHr", "restingHr"]), ...used(["ftp"]), ...used(["thresholdPaceSecPerKm"])],
    missing: [...thresholds.missing],
  };
}
