// The activities of the last `days` local days up to and including `today`: the window most estimates
// should see (fitness changes, so a best effort from last year is not today's threshold).
import { dayOf, localDay } from "./calendar.js";
import type { ActivityInput } from "./types.js";

/** Thresholds and race fitness are estimated from this many recent days. */
export const RECENT_FITNESS_DAYS = 90;

export function recentActivities(activities: readonly ActivityInput[], today: string, days: number): ActivityInput[] {
  const end = dayOf(today);
  return activities.filter((activity) => {
    const day = localDay(activity.startTime, activity.utcOffsetMinutes);
    return day <= end && day > end - days;
  });
}
