// Is a goal realistic from where the athlete is now?
//   Cumulative goals: the weekly rate still needed against the last 28 days' weekly rate. Up to 1.0x is
//     "likely"; up to 1.3x "possible" (an increase within the acute:chronic "sweet spot" upper bound 1.3,
//     Gabbett 2016); beyond that "unlikely" without a load spike.
//   Race-time goals: the VDOT the target needs against the current VDOT. The improvement rate assumed
//     attainable is ours, stated so it can be challenged: about 1 VDOT point per 4 weeks of training.
import { bestVdot } from "./best-vdot.js";
import { dayOf } from "./calendar.js";
import { cumulativeTotal, isCumulative, type GoalInput } from "./goals.js";
import { RECENT_FITNESS_DAYS, recentActivities } from "./recent.js";
import type { ActivityInput, Provenance } from "./types.js";
import { vdotFromRace } from "./vdot.js";

export const SAFE_RAMP_RATIO = 1.3;
export const VDOT_GAIN_PER_WEEK = 0.25;
const RECENT_DAYS = 28;

export interface GoalFeasibility extends Provenance {
  goalId: string;
  verdict: "achieved" | "likely" | "possible" | "unlikely" | "unknown";
  /** Cumulative: needed per week vs done per week lately; race_time: VDOT needed vs current VDOT. */
  required: number | null;
  current: number | null;
  ratio: number | null;
  weeksRemaining: number;
  reasons: string[];
}

export function goalFeasibility(goal: GoalInput, activities: readonly ActivityInput[], today: string): GoalFeasibility {
  const now = dayOf(today);
  const end = dayOf(goal.targetDate);
  const weeksRemaining = Math.max(0, end - now) / 7;
  const base = { goalId: goal.id, weeksRemaining, estimated: [] as string[], missing: [] as string[] };
  if (isCumulative(goal)) {
    const done = cumulativeTotal(goal, activities, dayOf(goal.startDate), Math.min(now, end));
    const remaining = goal.targetValue - done;
    const recentWeekly = cumulativeTotal(goal, activities, now - RECENT_DAYS + 1, now) / (RECENT_DAYS / 7);
    if (remaining <= 0) return { ...base, verdict: "achieved", required: 0, current: recentWeekly, ratio: 0, reasons: ["target already reached"] };
    if (weeksRemaining === 0) return { ...base, verdict: "unlikely", required: remaining, current: recentWeekly, ratio: null, reasons: ["target date reached with the goal unmet"] };
    const required = remaining / weeksRemaining;
    const ratio = recentWeekly > 0 ? required / recentWeekly : null;
    const verdict = ratio === null ? "unlikely" : ratio <= 1 ? "likely" : ratio <= SAFE_RAMP_RATIO ? "possible" : "unlikely";
    const reasons = [
      ratio === null
        ? `needs ${required.toFixed(1)} per week with nothing of this kind in the last 4 weeks`
        : `needs ${required.toFixed(1)} per week; the last 4 weeks averaged ${recentWeekly.toFixed(1)} (${ratio.toFixed(2)}x)`,
    ];
    if (ratio !== null && ratio > SAFE_RAMP_RATIO) reasons.push(`an increase beyond ${SAFE_RAMP_RATIO}x recent load raises injury risk (Gabbett 2016)`);
    return { ...base, verdict, required, current: recentWeekly, ratio, reasons };
  }
  if (goal.raceDistanceMeters === undefined) return { ...base, verdict: "unknown", required: null, current: null, ratio: null, reasons: [], missing: ["raceDistanceMeters"] };
  const required = vdotFromRace(goal.raceDistanceMeters, goal.targetValue);
  const best = bestVdot(recentActivities(activities, today, RECENT_FITNESS_DAYS));
  if (!best) return { ...base, verdict: "unknown", required, current: null, ratio: null, reasons: ["no run in the last 90 days to measure fitness"], missing: ["a run in the last 90 days"] };
  const gap = required - best.vdot;
  const attainable = VDOT_GAIN_PER_WEEK * weeksRemaining;
  const verdict = gap <= 0 ? "likely" : gap <= attainable ? "possible" : "unlikely";
  const reasons = [
    gap <= 0
      ? `current VDOT ${best.vdot.toFixed(1)} already meets the ${required.toFixed(1)} the target needs`
      : `needs VDOT ${required.toFixed(1)}, current ${best.vdot.toFixed(1)}: +${gap.toFixed(1)} in ${weeksRemaining.toFixed(1)} weeks (about ${attainable.toFixed(1)} attainable at ${VDOT_GAIN_PER_WEEK}/week)`,
  ];
  return {
    ...base,
    verdict,
    required,
    current: best.vdot,
    ratio: required / best.vdot,
    reasons,
    estimated: ["race fitness (best recorded run taken as a race effort)", "attainable improvement rate (1 VDOT per 4 weeks)"],
  };
}
