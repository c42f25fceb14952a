// Training recommendations from the computed state, each with the number that triggered it, so an agent
// can quote the reason. Rules restate the sources behind the inputs:
//   load risk / TSB (form.ts), acute:chronic ratio above 1.5 or below 0.8 (Gabbett 2016), intensity
//   distribution away from ~80% easy (Seiler 2010), fewer than 3 sessions a week, recovery status, and
//   a load that can grow (TSB > 10 or ratio below 0.8): by at most ~10% a week, keeping the ratio under 1.3.
import type { FitnessScore } from "./fitness-score.js";
import type { TrainingPatterns } from "./patterns.js";
import type { RecoveryScore } from "./recovery-score.js";
import type { TrainingLoad } from "./training-load.js";
import { mergeProvenance, type Provenance } from "./types.js";

export interface Recommendation {
  category: "recovery" | "load" | "intensity" | "consistency";
  priority: "high" | "medium" | "low";
  recommendation: string;
  reason: string;
}

export interface Recommendations extends Provenance {
  recommendations: Recommendation[];
}

export function trainingRecommendations(inputs: { load: TrainingLoad; fitness: FitnessScore; patterns: TrainingPatterns; recovery: RecoveryScore }): Recommendations {
  const { load, fitness, patterns, recovery } = inputs;
  const out: Recommendation[] = [];
  const ratio = patterns.loadJumps.currentRatio;
  if (load.risk === "high" || recovery.status === "under-recovered") {
    out.push({
      category: "recovery",
      priority: "high",
      recommendation: "Take 1-2 rest or very easy days before the next hard session.",
      reason: load.risk === "high" ? `overtraining flags: ${load.flags.join("; ")}` : `recovery score ${recovery.score?.toFixed(0)} of 100`,
    });
  } else if (load.form === "overreaching") {
    out.push({ category: "recovery", priority: "medium", recommendation: "Keep the next days easy until TSB is back above -10.", reason: `TSB ${load.tsb.toFixed(1)}` });
  }
  if (ratio !== null && ratio > 1.5) {
    out.push({ category: "load", priority: "high", recommendation: "Hold this week's load rather than adding to it.", reason: `acute:chronic ratio ${ratio.toFixed(2)} (above 1.5)` });
  } else if (load.risk === "low" && (load.tsb > 10 || (ratio !== null && ratio < 0.8))) {
    out.push({
      category: "load",
      priority: "low",
      recommendation: "Load can grow: add up to ~10% a week, keeping the acute:chronic ratio under 1.3.",
      reason: load.tsb > 10 ? `TSB ${load.tsb.toFixed(1)} (fresh, losing fitness)` : `acute:chronic ratio ${(ratio as number).toFixed(2)} (below 0.8)`,
    });
  }
  if (fitness.easyShare !== null && fitness.easyShare < 0.6) {
    out.push({ category: "intensity", priority: "medium", recommendation: "Make more sessions easy: about 80% of sessions at low intensity.", reason: `${(100 * fitness.easyShare).toFixed(0)}% of the last 6 weeks' sessions were easy` });
  } else if (fitness.easyShare !== null && fitness.easyShare > 0.95 && fitness.sessionsPerWeek >= 3) {
    out.push({ category: "intensity", priority: "low", recommendation: "Add one quality session (threshold or intervals) a week.", reason: "almost every session of the last 6 weeks was easy" });
  }
  if (fitness.sessionsPerWeek < 3) {
    out.push({ category: "consistency", priority: "medium", recommendation: "Aim for at least 3 sessions a week.", reason: `${fitness.sessionsPerWeek.toFixed(1)} sessions a week over the last 6 weeks` });
  }
  return { recommendations: out, ...mergeProvenance([load, fitness, patterns, recovery]) };
}
