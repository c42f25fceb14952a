// Sleep over several nights (at least 7 for a trend, as the reference server requires): averages, and
// the trend of duration and quality with its significance.
import { linearRegression } from "./regression.js";
import { asleepMinutes, sleepQuality } from "./sleep-quality.js";
import { mergeProvenance, type Provenance, type SleepNight } from "./types.js";

export const MIN_TREND_NIGHTS = 7;

export interface SleepTrend {
  slopePerNight: number | null;
  pValue: number | null;
  ci95: [number, number] | null;
}

export interface SleepTrends extends Provenance {
  nights: number;
  averageHours: number | null;
  averageScore: number | null;
  duration: SleepTrend;
  score: SleepTrend;
}

export function sleepTrends(nights: readonly SleepNight[]): SleepTrends {
  const sorted = [...nights].sort((a, b) => Date.parse(a.end) - Date.parse(b.end));
  const qualities = sorted.map(sleepQuality);
  const xs = sorted.map((_, i) => i);
  const hours = sorted.map((night) => asleepMinutes(night) / 60);
  const scores = qualities.map((q) => q.score);
  const enough = sorted.length >= MIN_TREND_NIGHTS;
  const trend = (ys: number[]): SleepTrend => {
    if (!enough) return { slopePerNight: null, pValue: null, ci95: null };
    const r = linearRegression(xs, ys);
    return { slopePerNight: r.slope, pValue: r.pValue, ci95: r.ci95 };
  };
  const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
  const provenance = mergeProvenance(qualities);
  if (!enough) provenance.missing.push(`${MIN_TREND_NIGHTS} nights for a trend (have ${sorted.length})`);
  return { nights: sorted.length, averageHours: mean(hours), averageScore: mean(scores), duration: trend(hours), score: trend(scores), ...provenance };
}
