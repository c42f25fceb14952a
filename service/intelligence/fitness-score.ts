// Fitness score 0-100 over the last 6 weeks (weights as specified for Pierre, shared/reference/domain.md):
//   consistency 25%: min(sessions per week / 5, 1)
//   load        35%: clamp(CTL, 0, 100) / 100
//   volume      25%: min(hours per week / 10, 1)
//   balance     15%: closeness of the share of easy sessions (IF < 0.75) to 80%, the intensity
//                    distribution of endurance athletes (Seiler, "What is best practice for training
//                    intensity and duration distribution in endurance athletes?", IJSPP 5 (2010) 276-291).
import { dayOf } from "./calendar.js";
import type { ActivityStress } from "./training-stress.js";
import { mergeProvenance, type Provenance } from "./types.js";

export const FITNESS_WINDOW_DAYS = 42;
const EASY_IF = 0.75;
const TARGET_EASY_SHARE = 0.8;

export interface FitnessScore extends Provenance {
  score: number;
  components: { consistency: number; load: number; volume: number; balance: number };
  sessionsPerWeek: number;
  hoursPerWeek: number;
  easyShare: number | null;
}

export function fitnessScore(stresses: readonly ActivityStress[], ctl: number, today: string): FitnessScore {
  const end = dayOf(today);
  const recent = stresses.filter((s) => {
    const day = dayOf(s.date);
    return day <= end && day > end - FITNESS_WINDOW_DAYS;
  });
  const weeks = FITNESS_WINDOW_DAYS / 7;
  const sessionsPerWeek = recent.length / weeks;
  const hoursPerWeek = recent.reduce((sum, s) => sum + s.hours, 0) / weeks;
  const easyShare = recent.length === 0 ? null : recent.filter((s) => s.intensityFactor < EASY_IF).length / recent.length;
  const components = {
    consistency: Math.min(sessionsPerWeek / 5, 1),
    load: Math.min(Math.max(ctl, 0), 100) / 100,
    volume: Math.min(hoursPerWeek / 10, 1),
    balance: easyShare === null ? 0 : Math.max(0, 1 - Math.abs(easyShare - TARGET_EASY_SHARE) / TARGET_EASY_SHARE),
  };
  const score = 100 * (0.25 * components.consistency + 0.35 * components.load + 0.25 * components.volume + 0.15 * components.balance);
  const provenance = mergeProvenance(recent);
  if (recent.length === 0) provenance.missing.push("activities in the last 6 weeks");
  return { score, components, sessionsPerWeek, hoursPerWeek, easyShare, ...provenance };
}
