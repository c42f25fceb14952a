// The synthetic athlete's physiology, drawn once from the user's seed.
import type { AthleteProfile } from "../../fitness/model.js";
import { between as draw, mix, rng } from "./random.js";

export interface Physiology {
  seed: number;
  sex: "male" | "female";
  weightKg: number;
  ftpWatts: number;
  maxHeartRate: number;
  restingHeartRate: number;
  /** Running speed at threshold, m/s. */
  thresholdRunMps: number;
  /** Critical swim speed, m/s. */
  swimMps: number;
  /** Nightly RMSSD when rested, ms. */
  hrvBaselineMs: number;
  /** Fixed local offset; the athlete does not travel. */
  utcOffsetSeconds: number;
  /** Shifts the periodization so athletes do not all race on the same weekend. */
  cycleOffsetWeeks: number;
  /** Metres climbed per km on typical routes. */
  hilliness: number;
}

const OFFSETS = [-8, -5, 0, 1, 2, 10].map((h) => h * 3600);

export function physiology(seed: number): Physiology {
  const r = rng(mix(seed, 0xa7));
  const between = (min: number, max: number) => draw(r, min, max);
  const sex = r() < 0.5 ? "male" : "female";
  const weightKg = Math.round(sex === "male" ? between(64, 82) : between(52, 68));
  return {
    seed,
    sex,
    weightKg,
    ftpWatts: Math.round(weightKg * between(3.0, 4.2)),
    maxHeartRate: Math.round(between(178, 196)),
    restingHeartRate: Math.round(between(44, 56)),
    thresholdRunMps: between(3.5, 4.5),
    swimMps: between(1.1, 1.45),
    hrvBaselineMs: between(45, 85),
    utcOffsetSeconds: OFFSETS[Math.floor(r() * OFFSETS.length)]!,
    cycleOffsetWeeks: Math.floor(r() * 16),
    hilliness: between(4, 14),
  };
}

export function profileOf(p: Physiology): AthleteProfile {
  return {
    provider: "synthetic",
    externalId: `synthetic-${p.seed.toString(16).padStart(8, "0")}`,
    displayName: `Synthetic Athlete ${p.seed.toString(16).slice(0, 4).toUpperCase()}`,
    sex: p.sex,
    weightKg: p.weightKg,
    ftpWatts: p.ftpWatts,
    maxHeartRate: p.maxHeartRate,
    restingHeartRate: p.restingHeartRate,
    synthetic: true,
  };
}
