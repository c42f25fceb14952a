// CTL / ATL / TSB (Coggan's performance manager; Banister's impulse-response model with time constants
// 42 and 7 days). Each day: load += k x (TSS - load), with k = 1 - e^(-1/N), the exact discrete decay of
// an N-day time constant (not 2/(N+1), the EMA span convention). The series runs through `today` with
// rest days at zero, so rest shows as falling fatigue. Both start at 0 on the first day of history, so
// fewer than 3 x 42 days of history under-states CTL: confidence is then "reduced".
// TSB is CTL - ATL at the end of `today` (today's sessions included); TrainingPeaks shows yesterday's
// end-of-day values as today's form, which differs by one day's load.
import { dateOf, dayOf } from "./calendar.js";
import type { DailyTssSeries } from "./daily-tss.js";
import { formBand, overtrainingFlags, type FormBand, type RiskLevel } from "./form.js";
import type { Provenance } from "./types.js";

export const CTL_DAYS = 42;
export const ATL_DAYS = 7;
export const FULL_CONFIDENCE_DAYS = 3 * CTL_DAYS;

export interface LoadDay {
  date: string;
  tss: number;
  ctl: number;
  atl: number;
  tsb: number;
}

export interface TrainingLoad extends Provenance {
  date: string;
  ctl: number;
  atl: number;
  tsb: number;
  form: FormBand;
  flags: string[];
  risk: RiskLevel;
  confidence: "full" | "reduced";
  historyDays: number;
  /** The last `days` days, oldest first. */
  daily: LoadDay[];
}

export function decayConstant(days: number): number {
  return 1 - Math.exp(-1 / days);
}

export function analyzeTrainingLoad(series: DailyTssSeries, today: string, days = CTL_DAYS): TrainingLoad {
  const end = dayOf(today);
  const kCtl = decayConstant(CTL_DAYS);
  const kAtl = decayConstant(ATL_DAYS);
  const first = series.firstDate === null ? end + 1 : dayOf(series.firstDate);
  const windowStart = end - days + 1;
  const daily: LoadDay[] = [];
  let ctl = 0;
  let atl = 0;
  // Days before the first activity are zeros too: the loop only has to start at the earlier of the two.
  for (let day = Math.min(first, windowStart); day <= end; day += 1) {
    const index = day - first;
    const tss = index >= 0 && index < series.tss.length ? series.tss[index] : 0;
    ctl += kCtl * (tss - ctl);
    atl += kAtl * (tss - atl);
    if (day >= windowStart) daily.push({ date: dateOf(day), tss, ctl, atl, tsb: ctl - atl });
  }
  const tsb = ctl - atl;
  const historyDays = Math.max(0, end - first + 1);
  const { flags, risk } = overtrainingFlags(ctl, atl, tsb);
  const confidence = historyDays >= FULL_CONFIDENCE_DAYS ? "full" : "reduced";
  const missing = [...series.missing];
  if (confidence === "reduced") missing.push(`history (${historyDays} of ${FULL_CONFIDENCE_DAYS} days for a settled CTL)`);
  return { date: today, ctl, atl, tsb, form: formBand(tsb), flags, risk, confidence, historyDays, daily, estimated: series.estimated, missing };
}
