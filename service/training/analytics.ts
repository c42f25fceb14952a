// The analytics questions as compositions of engine functions over the stored data: which rows each
// needs (data.ts, load-cache.ts) and which engine functions answer it. No formula lives here.
import type { Queryable } from "../db/pool.js";
import {
  activityStress,
  analyzeTrainingLoad,
  detectPatterns,
  fitnessScore,
  hrvStatus,
  mergeProvenance,
  recoveryScore,
  sleepQuality,
  suggestRestDay,
  trainingRecommendations,
  type FitnessScore,
  type Provenance,
  type RecoveryScore,
  type RestDaySuggestion,
  type SleepQuality,
  type HrvStatus,
  type TrainingLoad,
  type TrainingPatterns,
} from "../intelligence/index.js";
import { FITNESS_WINDOW_DAYS } from "../intelligence/fitness-score.js";
import { listHrv, listSleep } from "./data.js";
import type { EffectiveFitnessConfig } from "./fitness-config.js";
import { daysBefore, recentInputs, type Owner } from "./inputs.js";
import { loadSeries, type LoadSeries } from "./load-cache.js";

export interface TrainingBasis extends LoadSeries {
  config: EffectiveFitnessConfig;
  /** The instant "today" was computed from; later reads use the same one. */
  nowMs: number;
}

/** The configuration, today and the (usually stored) daily TSS series with its thresholds. */
export async function trainingBasis(db: Queryable, owner: Owner, nowMs: number): Promise<TrainingBasis> {
  return { nowMs, ...(await loadSeries(db, owner, nowMs)) };
}

/** Provenance of the thresholds behind a result, merged with the result's own. */
export function withThresholds<T extends Provenance>(basis: TrainingBasis, result: T): T {
  const merged = mergeProvenance([{ estimated: basis.thresholds.estimated, missing: basis.thresholds.missing }, result]);
  return { ...result, ...merged };
}

export async function fitnessScoreNow(db: Queryable, owner: Owner, basis: TrainingBasis): Promise<{ load: TrainingLoad; fitness: FitnessScore }> {
  const { activities } = await recentInputs(db, owner, basis.nowMs, { days: FITNESS_WINDOW_DAYS });
  const load = analyzeTrainingLoad(basis.series, basis.today);
  const stresses = activities.all.map((activity) => activityStress(activity, basis.thresholds));
  return { load, fitness: fitnessScore(stresses, load.ctl, basis.today) };
}

export async function patternsNow(db: Queryable, owner: Owner, basis: TrainingBasis, weeks: number): Promise<TrainingPatterns> {
  const { activities } = await recentInputs(db, owner, basis.nowMs, { days: weeks * 7 });
  return detectPatterns(activities.all, basis.series, basis.today, weeks);
}

export interface RecoveryState {
  load: TrainingLoad;
  sleep: SleepQuality | null;
  hrv: HrvStatus | null;
  recovery: RecoveryScore;
}

/** Last night's sleep (the night ending today, else yesterday), HRV against its 7-day baseline, TSB. */
export async function recoveryNow(db: Queryable, owner: Owner, basis: TrainingBasis): Promise<RecoveryState> {
  const [nights, samples] = await Promise.all([
    listSleep(db, owner, { from: daysBefore(basis.today, 1), to: basis.today }),
    listHrv(db, owner, { from: daysBefore(basis.today, 8), to: basis.today }),
  ]);
  const load = analyzeTrainingLoad(basis.series, basis.today);
  const lastNight = nights.at(-1);
  const sleep = lastNight ? sleepQuality(lastNight) : null;
  const hrv = hrvStatus(samples, basis.today);
  return { load, sleep, hrv, recovery: recoveryScore({ tsb: load.tsb, sleep, hrv }) };
}

export async function restDayNow(db: Queryable, owner: Owner, basis: TrainingBasis): Promise<RestDaySuggestion & { recovery: RecoveryScore }> {
  const [state, patterns] = await Promise.all([recoveryNow(db, owner, basis), patternsNow(db, owner, basis, 1)]);
  const advice = suggestRestDay({ ...state, series: basis.series, acuteChronicRatio: patterns.loadJumps.currentRatio });
  return { ...advice, recovery: state.recovery };
}

export async function recommendationsNow(db: Queryable, owner: Owner, basis: TrainingBasis) {
  const [{ load, fitness }, patterns, { recovery }] = await Promise.all([
    fitnessScoreNow(db, owner, basis),
    patternsNow(db, owner, basis, 4),
    recoveryNow(db, owner, basis),
  ]);
  return trainingRecommendations({ load, fitness, patterns, recovery });
}
