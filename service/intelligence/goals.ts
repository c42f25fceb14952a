// Goal shapes. A cumulative goal (distance, volume, frequency) counts activities of its sport from
// startDate through targetDate; a race-time goal is a time to beat over raceDistanceMeters by targetDate.
import { trainingSeconds } from "./activity-time.js";
import { localDay } from "./calendar.js";
import { matchesSport } from "./sport.js";
import type { ActivityInput } from "./types.js";

export type GoalType = "distance" | "volume" | "race_time" | "frequency";

export interface GoalInput {
  id: string;
  type: GoalType;
  sport?: string;
  /** distance: metres; volume: hours; frequency: sessions; race_time: seconds. */
  targetValue: number;
  /** race_time only. */
  raceDistanceMeters?: number;
  startDate: string;
  targetDate: string;
}

export const GOAL_UNITS: Record<GoalType, string> = { distance: "m", volume: "h", frequency: "sessions", race_time: "s" };

/** What one activity adds to a cumulative goal. */
function goalContribution(type: Exclude<GoalType, "race_time">, activity: ActivityInput): number {
  switch (type) {
    case "distance":
      return activity.distanceMeters ?? 0;
    case "volume":
      return trainingSeconds(activity) / 3600;
    case "frequency":
      return 1;
  }
}

/** Sum of a cumulative goal's metric over activities of its sport on local days [fromDay, toDay]. */
export function cumulativeTotal(goal: GoalInput & { type: Exclude<GoalType, "race_time"> }, activities: readonly ActivityInput[], fromDay: number, toDay: number): number {
  let total = 0;
  for (const activity of activities) {
    if (!matchesSport(activity.sport, goal.sport)) continue;
    const day = localDay(activity.startTime, activity.utcOffsetMinutes);
    if (day >= fromDay && day <= toDay) total += goalContribution(goal.type, activity);
  }
  return total;
}

export function isCumulative(goal: GoalInput): goal is GoalInput & { type: Exclude<GoalType, "race_time"> } {
  return goal.type !== "race_time";
}
