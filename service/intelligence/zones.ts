// Training zones from the athlete's thresholds.
//   Heart rate: Karvonen (Karvonen, Kentala & Mustala 1957): rest + % x (max - rest), zone edges at
//     50/60/70/80/90/100% of heart-rate reserve.
//   Power: Coggan's levels (Allen & Coggan 2010) at 55/75/90/105/120/150% of FTP.
//   Pace: Daniels' intensities (Daniels' Running Formula): E 63-74% of VDOT (the book's 59-74%, with the
//     slow end where its 3rd-edition pace table puts it), M = marathon race pace,
//     T = one-hour race pace (~88%), I = 97.5-100%, R = 105-110%, each converted to a pace through the
//     oxygen-cost equation.
import { RACE_DISTANCES, raceTimeForVdot, velocityForOxygenCost } from "./vdot.js";
import { thresholdPaceForVdot } from "./threshold-pace.js";

export interface Zone {
  zone: number;
  name: string;
  min: number;
  max: number | null;
}

const HR_RESERVE_EDGES = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
const HR_NAMES = ["Recovery", "Aerobic", "Tempo", "Threshold", "VO2max"];

export function heartRateZones(restingHr: number, maxHr: number): Zone[] {
  const at = (fraction: number) => restingHr + fraction * (maxHr - restingHr);
  return HR_NAMES.map((name, i) => ({ zone: i + 1, name, min: at(HR_RESERVE_EDGES[i]), max: at(HR_RESERVE_EDGES[i + 1]) }));
}

const POWER_EDGES = [0, 0.55, 0.75, 0.9, 1.05, 1.2, 1.5];
const POWER_NAMES = ["Active recovery", "Endurance", "Tempo", "Lactate threshold", "VO2max", "Anaerobic capacity", "Neuromuscular"];

export function powerZones(ftp: number): Zone[] {
  return POWER_NAMES.map((name, i) => ({
    zone: i + 1,
    name,
    min: POWER_EDGES[i] * ftp,
    max: i + 1 < POWER_EDGES.length ? POWER_EDGES[i + 1] * ftp : null,
  }));
}

/** A pace range in s/km: `fastest` <= pace <= `slowest`. */
export interface PaceZone {
  name: "easy" | "marathon" | "threshold" | "interval" | "repetition";
  fastestSecPerKm: number;
  slowestSecPerKm: number;
}

const paceAt = (vdot: number, fraction: number) => 60_000 / velocityForOxygenCost(vdot * fraction);

export function paceZones(vdot: number): PaceZone[] {
  const marathon = raceTimeForVdot(vdot, RACE_DISTANCES.marathon) / (RACE_DISTANCES.marathon / 1000);
  const threshold = thresholdPaceForVdot(vdot);
  return [
    { name: "easy", fastestSecPerKm: paceAt(vdot, 0.74), slowestSecPerKm: paceAt(vdot, 0.63) },
    { name: "marathon", fastestSecPerKm: marathon, slowestSecPerKm: marathon },
    { name: "threshold", fastestSecPerKm: threshold, slowestSecPerKm: threshold },
    { name: "interval", fastestSecPerKm: paceAt(vdot, 1.0), slowestSecPerKm: paceAt(vdot, 0.975) },
    { name: "repetition", fastestSecPerKm: paceAt(vdot, 1.1), slowestSecPerKm: paceAt(vdot, 1.05) },
  ];
}

/** The VDOT whose one-hour pace is `thresholdPaceSecPerKm` (inverse of thresholdPaceForVdot). */
export function vdotForThresholdPace(thresholdPaceSecPerKm: number): number {
  let low = 10;
  let high = 100;
  for (let i = 0; i < 60; i += 1) {
    const mid = (low + high) / 2;
    if (thresholdPaceForVdot(mid) > thresholdPaceSecPerKm) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
