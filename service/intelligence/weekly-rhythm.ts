// Which weekdays the athlete trains on: over the last `weeks` full-or-current weeks, the share of weeks
// with at least one session on each weekday. A weekday trained in at least half of the weeks is "usual".
import { WEEKDAYS, localDay, weekdayOf, type Weekday } from "./calendar.js";
import type { ActivityInput } from "./types.js";

export interface WeekdayShare {
  weekday: Weekday;
  sessions: number;
  /** Share of the weeks with a session on this weekday. */
  weekShare: number;
}

export interface WeeklyRhythm {
  weekdays: WeekdayShare[];
  usualDays: Weekday[];
  restDays: Weekday[];
}

export function weeklyRhythm(activities: readonly ActivityInput[], endDay: number, weeks: number): WeeklyRhythm {
  const startDay = endDay - weeks * 7 + 1;
  const sessions = new Array<number>(7).fill(0);
  const weeksWith = WEEKDAYS.map(() => new Set<number>());
  for (const activity of activities) {
    const day = localDay(activity.startTime, activity.utcOffsetMinutes);
    if (day < startDay || day > endDay) continue;
    const weekday = weekdayOf(day);
    sessions[weekday] += 1;
    weeksWith[weekday].add(Math.floor((day - startDay) / 7));
  }
  const weekdays = WEEKDAYS.map((weekday, i) => ({ weekday, sessions: sessions[i], weekShare: weeksWith[i].size / weeks }));
  return {
    weekdays,
    usualDays: weekdays.filter((d) => d.weekShare >= 0.5).map((d) => d.weekday),
    restDays: weekdays.filter((d) => d.sessions === 0).map((d) => d.weekday),
  };
}
