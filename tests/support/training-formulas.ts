// Independent formulas for checking the training analyses on the synthetic athlete (Coggan TSS,
// Banister/Coggan CTL-ATL, Daniels VDOT, Riegel): written here from the literature, never imported from
// service/intelligence, so a test that compares the two can fail.
import type { Activity } from "../../service/fitness/model.js";

export const DAY_MS = 86_400_000;
/** The fitness configuration the end-to-end tests set, so no threshold is estimated. */
export const CONFIG = { ftp: 250, lthr: 165, maxHr: 188, restingHr: 50, thresholdPaceSecPerKm: 255, weightKg: 68, heightCm: 178, age: 38, sex: "male" };

export const dayNumber = (iso: string, offsetSeconds: number) => Math.floor((Date.parse(iso) + offsetSeconds * 1000) / DAY_MS);
export const hoursOf = (a: Activity) => ((a.movingSeconds ?? 0) > 0 ? a.movingSeconds! : a.elapsedSeconds) / 3600;
const family = (sport: string) => (sport === "hike" ? "walk" : sport);

export function tssOf(a: Activity): number {
  const watts = a.normalizedPowerWatts ?? a.avgPowerWatts;
  let intensity = 0.65;
  if (family(a.sport) === "ride" && watts) intensity = watts / CONFIG.ftp;
  else if (a.avgHeartRate) intensity = a.avgHeartRate / CONFIG.lthr;
  else if (["run", "walk"].includes(family(a.sport))) {
    const speed = a.avgSpeedMps || (a.distanceMeters ?? 0) / (hoursOf(a) * 3600);
    if (speed > 0) intensity = CONFIG.thresholdPaceSecPerKm / (1000 / speed);
  }
  return hoursOf(a) * intensity ** 2 * 100;
}

export function loadThrough(activities: Activity[], today: number) {
  const daily = new Map<number, number>();
  for (const a of activities) daily.set(dayNumber(a.startTime, a.utcOffsetSeconds), (daily.get(dayNumber(a.startTime, a.utcOffsetSeconds)) ?? 0) + tssOf(a));
  const first = Math.min(...daily.keys());
  let ctl = 0;
  let atl = 0;
  for (let d = first; d <= today; d++) {
    const tss = daily.get(d) ?? 0;
    ctl += (1 - Math.exp(-1 / 42)) * (tss - ctl);
    atl += (1 - Math.exp(-1 / 7)) * (tss - atl);
  }
  return { ctl, atl, tsb: ctl - atl };
}

export function vdot(meters: number, seconds: number): number {
  const t = seconds / 60;
  const v = meters / t;
  return (-4.6 + 0.182258 * v + 0.000104 * v * v) / (0.8 + 0.1894393 * Math.exp(-0.012778 * t) + 0.2989558 * Math.exp(-0.1932605 * t));
}

/** The run of the last 90 days (1500 m to 4 h) with the best VDOT: the basis of a race prediction. */
export function bestRecentRun(activities: Activity[], today: number): { best: number; basisRun: Activity } {
  const runs = activities.filter((a) => {
    const d = dayNumber(a.startTime, a.utcOffsetSeconds);
    const s = hoursOf(a) * 3600;
    return a.sport === "run" && d > today - 90 && (a.distanceMeters ?? 0) >= 1500 && s >= 210 && s <= 4 * 3600;
  });
  const best = Math.max(...runs.map((a) => vdot(a.distanceMeters!, hoursOf(a) * 3600)));
  return { best, basisRun: runs.find((a) => vdot(a.distanceMeters!, hoursOf(a) * 3600) === best)! };
}
