// Should tomorrow be a rest day? Each rule that fires is a reason; any "strong" reason, or two others,
// recommends rest. The rules restate the load model's warnings and common practice:
//   strong: overtraining risk high (form.ts flags); recovery score below 40; ACWR above 1.5 (Gabbett 2016).
//   other:  TSB below -10; recovery below 60; sleep score below 60; HRV more than 1 SD below baseline;
//           6 or more consecutive training days (no rest day in a week).
import { dayOf } from "./calendar.js";
import type { DailyTssSeries } from "./daily-tss.js";
import type { HrvStatus } from "./hrv-status.js";
import type { RecoveryScore } from "./recovery-score.js";
import type { SleepQuality } from "./sleep-quality.js";
import type { TrainingLoad } from "./training-load.js";
import type { Provenance } from "./types.js";

export interface RestDaySuggestion extends Provenance {
  restRecommended: boolean;
  reasons: Array<{ reason: string; strong: boolean }>;
  consecutiveTrainingDays: number;
}

const MAX_CONSECUTIVE_DAYS = 6;

export function suggestRestDay(inputs: {
  load: TrainingLoad;
  series: DailyTssSeries;
  recovery: RecoveryScore;
  sleep: SleepQuality | null;
  hrv: HrvStatus | null;
  acuteChronicRatio: number | null;
}): RestDaySuggestion {
  const { load, recovery, sleep, hrv, acuteChronicRatio } = inputs;
  const reasons: RestDaySuggestion["reasons"] = [];
  const add = (reason: string, strong = false) => reasons.push({ reason, strong });
  if (load.risk === "high") add(`overtraining risk high: ${load.flags.join("; ")}`, true);
  else if (load.tsb < -10) add(`training stress balance ${load.tsb.toFixed(1)} (below -10: fatigued)`);
  if (recovery.score !== null && recovery.score < 40) add(`recovery score ${recovery.score.toFixed(0)} of 100`, true);
  else if (recovery.score !== null && recovery.score < 60) add(`recovery score ${recovery.score.toFixed(0)} of 100`);
  if (acuteChronicRatio !== null && acuteChronicRatio > 1.5) add(`acute:chronic load ratio ${acuteChronicRatio.toFixed(2)} (above 1.5)`, true);
  if (sleep && sleep.score < 60) add(`last night's sleep scored ${sleep.score.toFixed(0)} (${sleep.asleepHours.toFixed(1)} h)`);
  if (hrv && hrv.z < -1) add(`HRV ${hrv.rmssd.toFixed(0)} ms, ${(-hrv.z).toFixed(1)} SD below your 7-day baseline`);
  const consecutive = consecutiveTrainingDays(inputs.series, load.date);
  if (consecutive >= MAX_CONSECUTIVE_DAYS) add(`${consecutive} consecutive training days`);
  const strong = reasons.some((r) => r.strong);
  return {
    restRecommended: strong || reasons.length >= 2,
    reasons,
    consecutiveTrainingDays: consecutive,
    estimated: [...load.estimated, ...recovery.estimated],
    missing: [...recovery.missing, ...load.missing],
  };
}

/** Training days in a row ending today, or yesterday when today has no session (yet). */
function consecutiveTrainingDays(series: DailyTssSeries, today: string): number {
  if (series.firstDate === null) return 0;
  const first = dayOf(series.firstDate);
  const trained = (day: number) => day >= first && day - first < series.tss.length && series.tss[day - first] > 0;
  let day = dayOf(today);
  if (!trained(day)) day -= 1;
  let count = 0;
  for (; trained(day); day -= 1) count += 1;
  return count;
}
