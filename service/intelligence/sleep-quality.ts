// Sleep quality 0-100 = 0.40 duration + 0.35 stages + 0.25 efficiency (weights as specified for Pierre,
// shared/reference/domain.md). Component scores (ours, stated so they can be checked):
//   duration:   100 for 8-9 h asleep; -25 per hour below 8 h, -20 per hour above 9 h.
//   stages:     mean of deep and REM, each 100 inside its healthy share of sleep (deep 15-25%, REM 20-30%;
//               Ohayon et al., "Meta-analysis of quantitative sleep parameters", Sleep 27 (2004)),
//               -5 per percentage point outside.
//   efficiency: 100 at >= 90%, -5 per point below (85% is the usual clinical cut-off for good sleep;
//               Ohayon et al., "National Sleep Foundation's sleep quality recommendations", Sleep Health 2017).
// A component without data is left out and the remaining weights are renormalized, and named as missing.
import type { Provenance, SleepNight } from "./types.js";

export interface SleepQuality extends Provenance {
  score: number;
  asleepHours: number;
  components: { duration: number; stages: number | null; efficiency: number | null };
  deepShare: number | null;
  remShare: number | null;
  efficiencyPercent: number | null;
}

const clamp100 = (value: number) => Math.min(100, Math.max(0, value));

function rangeScore(value: number, low: number, high: number, perUnit: number): number {
  if (value < low) return clamp100(100 - (low - value) * perUnit);
  if (value > high) return clamp100(100 - (value - high) * perUnit);
  return 100;
}

export function asleepMinutes(night: SleepNight): number {
  if (night.durationMinutes !== undefined) return night.durationMinutes;
  const inBed = (Date.parse(night.end) - Date.parse(night.start)) / 60_000;
  return Math.max(0, inBed - (night.awakeMinutes ?? 0));
}

export function sleepQuality(night: SleepNight): SleepQuality {
  const asleep = asleepMinutes(night);
  const hours = asleep / 60;
  const duration = hours < 8 ? clamp100(100 - (8 - hours) * 25) : hours > 9 ? clamp100(100 - (hours - 9) * 20) : 100;
  const missing: string[] = [];
  const estimated: string[] = [];
  if (night.durationMinutes === undefined) estimated.push("sleep duration (time in bed minus awake time)");

  const hasStages = night.deepMinutes !== undefined && night.remMinutes !== undefined && asleep > 0;
  const deepShare = hasStages ? (100 * (night.deepMinutes as number)) / asleep : null;
  const remShare = hasStages ? (100 * (night.remMinutes as number)) / asleep : null;
  const stages = deepShare !== null && remShare !== null ? (rangeScore(deepShare, 15, 25, 5) + rangeScore(remShare, 20, 30, 5)) / 2 : null;
  if (stages === null) missing.push("sleep stages");

  const inBed = (Date.parse(night.end) - Date.parse(night.start)) / 60_000;
  let efficiencyPercent = night.efficiencyPercent ?? null;
  // Time asleep over time in bed, when time asleep is known independently of time in bed.
  if (efficiencyPercent === null && inBed > 0 && (night.durationMinutes !== undefined || night.awakeMinutes !== undefined)) {
    efficiencyPercent = Math.min(100, (100 * asleep) / inBed);
    estimated.push("sleep efficiency (time asleep / time in bed)");
  }
  const efficiency = efficiencyPercent === null ? null : efficiencyPercent >= 90 ? 100 : clamp100(100 - (90 - efficiencyPercent) * 5);
  if (efficiency === null) missing.push("sleep efficiency");

  const parts: Array<[number, number | null]> = [[0.4, duration], [0.35, stages], [0.25, efficiency]];
  const present = parts.filter((part): part is [number, number] => part[1] !== null);
  const weight = present.reduce((sum, [w]) => sum + w, 0);
  const score = present.reduce((sum, [w, value]) => sum + w * value, 0) / weight;
  return { score, asleepHours: hours, components: { duration, stages, efficiency }, deepShare, remShare, efficiencyPercent, estimated, missing };
}
