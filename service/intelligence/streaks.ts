// Consistency streaks: consecutive training days, and consecutive ISO weeks with at least
// `minSessionsPerWeek` sessions; the current one counts through today (this week still open is counted
// when it already qualifies, and does not break the streak while it does not yet).
import { localDay, weekStartOf } from "./calendar.js";
import type { ActivityInput } from "./types.js";

export interface Streaks {
  currentDayStreak: number;
  longestDayStreak: number;
  currentWeekStreak: number;
  longestWeekStreak: number;
  minSessionsPerWeek: number;
}

export function consistencyStreaks(activities: readonly ActivityInput[], endDay: number, minSessionsPerWeek = 3): Streaks {
  const days = new Set<number>();
  const perWeek = new Map<number, number>();
  for (const activity of activities) {
    const day = localDay(activity.startTime, activity.utcOffsetMinutes);
    if (day > endDay) continue;
    days.add(day);
    const week = weekStartOf(day);
    perWeek.set(week, (perWeek.get(week) ?? 0) + 1);
  }
  const dayRuns = runs([...days].sort((a, b) => a - b), 1);
  const weeks = [...perWeek].filter(([, n]) => n >= minSessionsPerWeek).map(([week]) => week).sort((a, b) => a - b);
  const weekRuns = runs(weeks, 7);
  const thisWeek = weekStartOf(endDay);
  return {
    currentDayStreak: currentRun(dayRuns, endDay, 1),
    longestDayStreak: Math.max(0, ...dayRuns.map((r) => r.length)),
    currentWeekStreak: currentRun(weekRuns, thisWeek, 7),
    longestWeekStreak: Math.max(0, ...weekRuns.map((r) => r.length)),
    minSessionsPerWeek,
  };
}

interface Run {
  last: number;
  length: number;
}

/** Maximal runs of values spaced exactly `step` apart (input sorted ascending). */
function runs(sorted: number[], step: number): Run[] {
  const out: Run[] = [];
  for (const value of sorted) {
    const previous = out.at(-1);
    if (previous && value - previous.last === step) {
      previous.last = value;
      previous.length += 1;
    } else out.push({ last: value, length: 1 });
  }
  return out;
}

/** The run ending at `now`, or at the period before it (the current period may still be in progress). */
function currentRun(all: Run[], now: number, step: number): number {
  const last = all.at(-1);
  return last && (last.last === now || last.last === now - step) ? last.length : 0;
}
