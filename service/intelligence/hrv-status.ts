// Today's HRV against the athlete's own baseline: ln(rMSSD) compared with the mean and SD of ln(rMSSD)
// over the previous 7 days (Plews et al., "Training adaptation and heart rate variability in elite
// endurance athletes", Sports Med 43 (2013) 773-781, recommend the log-transformed rolling baseline).
// Score = clamp(50 + 25 z, 0, 100): at baseline 50, one SD above 75, two SD below 0.
import { dayOf } from "./calendar.js";
import type { HrvSample } from "./types.js";

const BASELINE_DAYS = 7;
const MIN_BASELINE_SAMPLES = 3;

export interface HrvStatus {
  rmssd: number;
  baselineRmssd: number;
  z: number;
  score: number;
}

/** Null without a reading today or without 3 readings in the 7 days before. */
export function hrvStatus(samples: readonly HrvSample[], today: string): HrvStatus | null {
  const end = dayOf(today);
  let todays: HrvSample | undefined;
  const baseline: number[] = [];
  for (const sample of samples) {
    if (!(sample.rmssd > 0)) continue;
    const day = dayOf(sample.date);
    if (day === end) todays ??= sample;
    else if (day < end && day >= end - BASELINE_DAYS) baseline.push(Math.log(sample.rmssd));
  }
  if (!todays || baseline.length < MIN_BASELINE_SAMPLES) return null;
  const mean = baseline.reduce((a, b) => a + b, 0) / baseline.length;
  const sd = Math.sqrt(baseline.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (baseline.length - 1));
  // A perfectly flat baseline has no spread: any change is then treated as one SD per 5% of the mean.
  const spread = sd > 0 ? sd : Math.log(1.05);
  const z = (Math.log(todays.rmssd) - mean) / spread;
  return { rmssd: todays.rmssd, baselineRmssd: Math.exp(mean), z, score: Math.min(100, Math.max(0, 50 + 25 * z)) };
}
