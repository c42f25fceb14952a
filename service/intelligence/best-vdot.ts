// The athlete's running fitness as the highest VDOT among their runs. Every run counts as a performance
// at some effort; the best one is the closest to a race. Runs outside the formula's tested range
// (shorter than 1500 m or 3.5 min, longer than 4 h) are skipped.
import { trainingSeconds } from "./activity-time.js";
import { sportFamily } from "./sport.js";
import type { ActivityInput } from "./types.js";
import { vdotFromRace } from "./vdot.js";

export interface BestVdot {
  vdot: number;
  activityId: string;
  distanceMeters: number;
  seconds: number;
}

export function bestVdot(activities: readonly ActivityInput[]): BestVdot | undefined {
  let best: BestVdot | undefined;
  for (const activity of activities) {
    if (sportFamily(activity.sport) !== "run" || !activity.distanceMeters || activity.distanceMeters < 1500) continue;
    const seconds = trainingSeconds(activity);
    if (seconds < 210 || seconds > 4 * 3600) continue;
    const vdot = vdotFromRace(activity.distanceMeters, seconds);
    if (!best || vdot > best.vdot) best = { vdot, activityId: activity.id, distanceMeters: activity.distanceMeters, seconds };
  }
  return best;
}
