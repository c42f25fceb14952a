// The analyses both faces answer (MCP tools in mcp/tools, A2A skills in a2a/skills.ts): each is one function
// of the stored data giving the result, and one summary in words a model can quote. Neither face computes
// or words an analysis itself, so an MCP tool and an A2A skill asked the same question say the same thing.
import { z } from "zod";
import type { Queryable } from "../db/pool.js";
import {
  RACE_DISTANCES,
  analyzeTrainingLoad,
  goalFeasibility,
  predictRaceTime,
  type GoalFeasibility,
  type HrvStatus,
  type RacePrediction,
  type RecoveryScore,
  type TrainingLoad,
  type TrainingPatterns,
} from "../intelligence/index.js";
import type { Recommendations } from "../intelligence/recommendations.js";
import { patternsNow, recommendationsNow, recoveryNow, restDayNow, withThresholds, type TrainingBasis } from "./analytics.js";
import { clock, one, provenanceNote } from "./format.js";
import { findGoal, type StoredGoal } from "./goals.js";
import { recentInputs, type Owner } from "./inputs.js";

const DAY_MS = 86_400_000;

/** CTL / ATL / TSB through today, with the last `days` days of the series. */
export function trainingLoadReport(basis: TrainingBasis, days: number): TrainingLoad {
  return withThresholds(basis, analyzeTrainingLoad(basis.series, basis.today, days));
}

export const trainingLoadSummary = (l: TrainingLoad): string =>
  `As of ${l.date}: CTL ${one(l.ctl)}, ATL ${one(l.atl)}, TSB ${one(l.tsb)} (${l.form}), overtraining risk ${l.risk}` +
  `${l.flags.length ? ` (${l.flags.join("; ")})` : ""}; confidence ${l.confidence}.${provenanceNote(l)}`;

export async function patternsReport(db: Queryable, owner: Owner, basis: TrainingBasis, weeks: number): Promise<TrainingPatterns> {
  return withThresholds(basis, await patternsNow(db, owner, basis, weeks));
}

export const patternsSummary = (p: TrainingPatterns): string =>
  `Usual days: ${p.rhythm.usualDays.join(", ") || "none"}; long session: ${p.longSession.weekday ?? "none"}; ` +
  `current streak ${p.streaks.currentDayStreak} days; load jumps: ${p.loadJumps.jumps.length}.${provenanceNote(p)}`;

export async function recommendationsReport(db: Queryable, owner: Owner, basis: TrainingBasis): Promise<Recommendations> {
  return withThresholds(basis, await recommendationsNow(db, owner, basis));
}

export const recommendationsSummary = (r: Recommendations): string =>
  r.recommendations.length
    ? r.recommendations.map((x) => `[${x.priority}] ${x.recommendation}`).join(" ") + provenanceNote(r)
    : `No recommendations.${provenanceNote(r)}`;

const raceNames = Object.keys(RACE_DISTANCES) as [keyof typeof RACE_DISTANCES, ...(keyof typeof RACE_DISTANCES)[]];

/** Which race to predict: by name or by distance, the marathon when neither is given. */
export const raceTargetInput = z
  .strictObject({
    race: z.enum(raceNames).optional(),
    distance_meters: z.number().min(800).max(100_000).optional(),
  })
  .refine((v) => v.race === undefined || v.distance_meters === undefined, { message: "give exactly one of race or distance_meters" });

export function targetMetersOf({ race, distance_meters }: z.output<typeof raceTargetInput>): number {
  return distance_meters ?? RACE_DISTANCES[race ?? "marathon"];
}

/** From the best run of the last 90 days. */
export async function racePredictionReport(db: Queryable, owner: Owner, nowMs: number, targetMeters: number): Promise<RacePrediction> {
  const { activities } = await recentInputs(db, owner, nowMs, { days: 0 });
  return predictRaceTime(activities.recent, targetMeters);
}

export const racePredictionSummary = (p: RacePrediction): string =>
  p.vdotSeconds === null || p.basis === null
    ? `No prediction for ${p.targetMeters} m.${provenanceNote(p)}`
    : `${p.targetMeters} m: ${clock(p.vdotSeconds)} by VDOT ${one(p.basis.vdot)}, ${clock(p.riegelSeconds!)} by Riegel, ` +
      `from ${p.basis.distanceMeters} m in ${clock(p.basis.seconds)}.${provenanceNote(p)}`;

export interface RecoveryReport extends RecoveryScore {
  tsb: number;
  sleepScore: number | null;
  hrv: HrvStatus | null;
}

export async function recoveryReport(db: Queryable, owner: Owner, basis: TrainingBasis): Promise<RecoveryReport> {
  const state = await recoveryNow(db, owner, basis);
  return { ...withThresholds(basis, state.recovery), tsb: state.load.tsb, sleepScore: state.sleep?.score ?? null, hrv: state.hrv };
}

export const recoverySummary = (r: RecoveryReport): string =>
  `Recovery ${r.score === null ? "unknown" : `${Math.round(r.score)}/100`} (${r.status}); TSB ${one(r.tsb)}.${provenanceNote(r)}`;

export async function restDayReport(db: Queryable, owner: Owner, basis: TrainingBasis) {
  const { recovery, ...advice } = await restDayNow(db, owner, basis);
  return { ...withThresholds(basis, advice), recoveryScore: recovery.score, date: basis.today };
}

export type RestDayReport = Awaited<ReturnType<typeof restDayReport>>;

export const restDaySummary = (a: RestDayReport): string =>
  `${a.restRecommended ? "Rest recommended" : "No rest needed"} on ${a.date}` +
  `${a.reasons.length ? `: ${a.reasons.map((r) => r.reason).join("; ")}` : ""}.${provenanceNote(a)}`;

/** The goal and the activities its computations need: since its start, and at least the last 90 days. Null: no such goal. */
export async function goalInputs(db: Queryable, owner: Owner, id: string, nowMs: number) {
  const goal = await findGoal(db, owner, id);
  if (!goal) return null;
  const sinceStart = Math.ceil((nowMs - Date.parse(`${goal.startDate}T00:00:00Z`)) / DAY_MS) + 2;
  const { today, activities } = await recentInputs(db, owner, nowMs, { days: Math.max(0, sinceStart) });
  return { goal: goal as StoredGoal, today, activities: activities.all };
}

/** Null when the goal does not exist for this owner. */
export async function goalFeasibilityReport(db: Queryable, owner: Owner, goalId: string, nowMs: number): Promise<GoalFeasibility | null> {
  const inputs = await goalInputs(db, owner, goalId, nowMs);
  return inputs && goalFeasibility(inputs.goal, inputs.activities, inputs.today);
}

export const goalFeasibilitySummary = (f: GoalFeasibility): string => `Verdict: ${f.verdict}. ${f.reasons.join(" ")}${provenanceNote(f)}`;
