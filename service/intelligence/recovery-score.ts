// Recovery 0-100 from training form, last night's sleep and HRV, weighted TSB 0.4 / sleep 0.4 / HRV 0.2,
// or 0.5 / 0.5 without HRV (shared/reference/domain.md); a missing component's weight is spread over the
// others. TSB maps to clamp(50 + 2.5 TSB, 0, 100): -20 (deep fatigue) scores 0, +20 scores 100.
import type { HrvStatus } from "./hrv-status.js";
import type { SleepQuality } from "./sleep-quality.js";
import type { Provenance } from "./types.js";

export interface RecoveryScore extends Provenance {
  /** Null when neither load, sleep nor HRV is known. */
  score: number | null;
  status: "well recovered" | "recovering" | "under-recovered" | "unknown";
  components: { tsb: number | null; sleep: number | null; hrv: number | null };
  weights: { tsb: number; sleep: number; hrv: number };
}

export function tsbRecoveryScore(tsb: number): number {
  return Math.min(100, Math.max(0, 50 + 2.5 * tsb));
}

export function recoveryScore(inputs: { tsb: number | null; sleep: SleepQuality | null; hrv: HrvStatus | null }): RecoveryScore {
  const components = {
    tsb: inputs.tsb === null ? null : tsbRecoveryScore(inputs.tsb),
    sleep: inputs.sleep?.score ?? null,
    hrv: inputs.hrv?.score ?? null,
  };
  const base = components.hrv === null ? { tsb: 0.5, sleep: 0.5, hrv: 0 } : { tsb: 0.4, sleep: 0.4, hrv: 0.2 };
  const names = ["tsb", "sleep", "hrv"] as const;
  const present = names.filter((name) => components[name] !== null);
  const total = present.reduce((sum, name) => sum + base[name], 0);
  const weights = { tsb: 0, sleep: 0, hrv: 0 };
  for (const name of present) weights[name] = base[name] / total;
  const score = present.length === 0 ? null : present.reduce((sum, name) => sum + weights[name] * (components[name] as number), 0);
  const missing = names.filter((name) => components[name] === null).map((name) => (name === "tsb" ? "training load" : name === "hrv" ? "HRV" : "sleep"));
  return { score, status: status(score), components, weights, estimated: inputs.sleep?.estimated ?? [], missing };
}

function status(score: number | null): RecoveryScore["status"] {
  if (score === null) return "unknown";
  if (score >= 70) return "well recovered";
  if (score >= 50) return "recovering";
  return "under-recovered";
}
