// Progress of a goal as of `today`. Cumulative goals: done so far against the pro-rata share of the
// target, and the projection at the current rate. Race-time goals: the predicted time (VDOT of the best
// run in the last 90 days) against the target time.
import { bestVdot } from "./best-vdot.js";
import { dayOf } from "./calendar.js";
import { cumulativeTotal, GOAL_UNITS, isCumulative, type GoalInput } from "./goals.js";
import { RECENT_FITNESS_DAYS, recentActivities } from "./recent.js";
import type { ActivityInput, Provenance } from "./types.js";
import { raceTimeForVdot } from "./vdot.js";

export interface GoalProgress extends Provenance {
  goalId: string;
  type: GoalInput["type"];
  unit: string;
  target: number;
  /** Cumulative: done so far; race_time: predicted time now (null without a qualifying run). */
  current: number | null;
  percentComplete: number | null;
  /** Cumulative only: where a steady pace would be by today. */
  expectedByNow: number | null;
  projectedAtTargetDate: number | null;
  onTrack: boolean | null;
  daysElapsed: number;
  daysRemaining: number;
}

export function goalProgress(goal: GoalInput, activities: readonly ActivityInput[], today: string): GoalProgress {
  const start = dayOf(goal.startDate);
  const end = dayOf(goal.targetDate);
  const now = dayOf(today);
  const totalDays = end - start + 1;
  const daysElapsed = Math.min(totalDays, Math.max(0, now - start + 1));
  const base = { goalId: goal.id, type: goal.type, unit: GOAL_UNITS[goal.type], target: goal.targetValue, daysElapsed, daysRemaining: Math.max(0, end - now) };
  if (isCumulative(goal)) {
    const current = cumulativeTotal(goal, activities, start, Math.min(now, end));
    const expectedByNow = (goal.targetValue * daysElapsed) / totalDays;
    const projected = daysElapsed > 0 ? (current / daysElapsed) * totalDays : null;
    return {
      ...base,
      current,
      percentComplete: (100 * current) / goal.targetValue,
      expectedByNow,
      projectedAtTargetDate: projected,
      // Not started yet: nothing to be on or off track with.
      onTrack: daysElapsed === 0 ? null : current >= goal.targetValue || (projected !== null && projected >= goal.targetValue),
      estimated: [],
      missing: [],
    };
  }
  const distance = goal.raceDistanceMeters;
  const best = bestVdot(recentActivities(activities, today, RECENT_FITNESS_DAYS));
  if (distance === undefined || !best) {
    const missing = distance === undefined ? ["raceDistanceMeters"] : ["a run in the last 90 days"];
    return { ...base, current: null, percentComplete: null, expectedByNow: null, projectedAtTargetDate: null, onTrack: null, estimated: [], missing };
  }
  const predicted = raceTimeForVdot(best.vdot, distance);
  return {
    ...base,
    current: predicted,
    percentComplete: Math.min(100, (100 * goal.targetValue) / predicted),
    expectedByNow: null,
    projectedAtTargetDate: null,
    onTrack: predicted <= goal.targetValue,
    estimated: ["race fitness (best recorded run taken as a race effort)"],
    missing: [],
  };
}
