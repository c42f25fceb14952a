// The weekday of each week's longest session; the most frequent one is the athlete's long-session day.
import { WEEKDAYS, localDay, weekStartOf, weekdayOf, type Weekday } from "./calendar.js";
import { trainingSeconds } from "./activity-time.js";
import type { ActivityInput } from "./types.js";

export interface LongSessionDay {
  weekday: Weekday | null;
  /** Share of weeks whose longest session fell on that weekday. */
  share: number;
  weeksWithSessions: number;
}

export function longSessionDay(activities: readonly ActivityInput[], startDay: number, endDay: number): LongSessionDay {
  const longest = new Map<number, { seconds: number; weekday: number }>();
  for (const activity of activities) {
    const day = localDay(activity.startTime, activity.utcOffsetMinutes);
    if (day < startDay || day > endDay) continue;
    const week = weekStartOf(day);
    const seconds = trainingSeconds(activity);
    const current = longest.get(week);
    if (!current || seconds > current.seconds) longest.set(week, { seconds, weekday: weekdayOf(day) });
  }
  const counts = new Array<number>(7).fill(0);
  for (const { weekday } of longest.values()) counts[weekday] += 1;
  const top = counts.indexOf(Math.max(...counts));
  if (longest.size === 0) return { weekday: null, share: 0, weeksWithSessions: 0 };
  return { weekday: WEEKDAYS[top], share: counts[top] / longest.size, weeksWithSessions: longest.size };
}
