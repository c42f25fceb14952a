// Training patterns over the last `weeks` weeks: weekly rhythm, long-session day, consistency streaks
// and sudden load jumps.
import { dayOf } from "./calendar.js";
import type { DailyTssSeries } from "./daily-tss.js";
import { loadJumps, type LoadJumps } from "./load-jumps.js";
import { longSessionDay, type LongSessionDay } from "./long-session-day.js";
import { consistencyStreaks, type Streaks } from "./streaks.js";
import type { ActivityInput, Provenance } from "./types.js";
import { weeklyRhythm, type WeeklyRhythm } from "./weekly-rhythm.js";

export interface TrainingPatterns extends Provenance {
  weeks: number;
  rhythm: WeeklyRhythm;
  longSession: LongSessionDay;
  streaks: Streaks;
  loadJumps: LoadJumps;
}

export function detectPatterns(activities: readonly ActivityInput[], series: DailyTssSeries, today: string, requestedWeeks = 4): TrainingPatterns {
  const weeks = Math.max(1, Math.floor(requestedWeeks));
  const end = dayOf(today);
  const start = end - weeks * 7 + 1;
  const jumps = loadJumps(series, start, end);
  const missing = activities.length === 0 ? ["activities"] : [];
  if (jumps.currentRatio === null) missing.push("28 days of training history for the acute:chronic ratio");
  return {
    weeks,
    rhythm: weeklyRhythm(activities, end, weeks),
    longSession: longSessionDay(activities, start, end),
    streaks: consistencyStreaks(activities, end),
    loadJumps: jumps,
    estimated: series.estimated,
    missing,
  };
}
