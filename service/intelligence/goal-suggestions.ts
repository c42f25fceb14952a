// Goals proposed from the last 4 weeks: per sport family trained, 10% more distance over the next 4
// weeks (the common progression rule, within the 1.3 acute:chronic bound), one more session per week
// (up to 5), and for runners a 10k time one VDOT point better in 12 weeks.
import { bestVdot } from "./best-vdot.js";
import { dateOf, dayOf } from "./calendar.js";
import { recentActivities } from "./recent.js";
import { sportFamily, type SportFamily } from "./sport.js";
import type { GoalType } from "./goals.js";
import type { ActivityInput, Provenance } from "./types.js";
import { RACE_DISTANCES, raceTimeForVdot } from "./vdot.js";

export interface SuggestedGoal {
  type: GoalType;
  sport: SportFamily;
  targetValue: number;
  raceDistanceMeters: number | null;
  startDate: string;
  targetDate: string;
  rationale: string;
}

export interface GoalSuggestions extends Provenance {
  suggestions: SuggestedGoal[];
}

const RECENT_DAYS = 28;

export function suggestGoals(activities: readonly ActivityInput[], today: string): GoalSuggestions {
  const now = dayOf(today);
  const recent = recentActivities(activities, today, RECENT_DAYS);
  const byFamily = new Map<SportFamily, ActivityInput[]>();
  for (const activity of recent) {
    const family = sportFamily(activity.sport);
    byFamily.set(family, [...(byFamily.get(family) ?? []), activity]);
  }
  const startDate = dateOf(now + 1);
  const suggestions: SuggestedGoal[] = [];
  for (const [sport, list] of byFamily) {
    const distance = list.reduce((sum, a) => sum + (a.distanceMeters ?? 0), 0);
    if (distance > 0) {
      suggestions.push({ type: "distance", sport, targetValue: Math.round(distance * 1.1), raceDistanceMeters: null, startDate, targetDate: dateOf(now + 28), rationale: `10% more than the ${(distance / 1000).toFixed(1)} km of the last 4 weeks` });
    }
    const perWeek = list.length / 4;
    if (perWeek < 5) {
      const target = Math.min(5, Math.floor(perWeek) + 1);
      suggestions.push({ type: "frequency", sport, targetValue: target * 4, raceDistanceMeters: null, startDate, targetDate: dateOf(now + 28), rationale: `${target} sessions a week (lately ${perWeek.toFixed(1)})` });
    }
  }
  const best = bestVdot(recent);
  if (best) {
    const target = raceTimeForVdot(best.vdot + 1, RACE_DISTANCES["10k"]);
    suggestions.push({ type: "race_time", sport: "run", targetValue: Math.round(target), raceDistanceMeters: RACE_DISTANCES["10k"], startDate, targetDate: dateOf(now + 84), rationale: `10k at VDOT ${(best.vdot + 1).toFixed(1)}, one point above your current ${best.vdot.toFixed(1)}` });
  }
  return { suggestions, estimated: best ? ["race fitness (best recorded run taken as a race effort)"] : [], missing: recent.length === 0 ? ["activities in the last 4 weeks"] : [] };
}
