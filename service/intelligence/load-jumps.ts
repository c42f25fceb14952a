// Sudden load increases by the acute:chronic workload ratio (rolling averages of daily TSS over 7 and 28
// days; Gabbett, "The training-injury prevention paradox", Br J Sports Med 50 (2016) 273-280): ACWR above
// 1.5 is the "danger zone", 0.8-1.3 the "sweet spot". Days are only judged once 28 days of history exist
// and chronic load is above a floor, so the first weeks of training are not all "jumps".
import { dateOf, dayOf } from "./calendar.js";
import type { DailyTssSeries } from "./daily-tss.js";

export const ACWR_DANGER = 1.5;
const ACUTE_DAYS = 7;
const CHRONIC_DAYS = 28;
const MIN_CHRONIC_TSS_PER_DAY = 10;

export interface LoadJump {
  date: string;
  acuteTssPerDay: number;
  chronicTssPerDay: number;
  ratio: number;
}

export interface LoadJumps {
  /** ACWR on the last day; null without 28 days of history or too little chronic load. */
  currentRatio: number | null;
  /** Starts of spells above the danger ratio within the window, oldest first. */
  jumps: LoadJump[];
}

export function loadJumps(series: DailyTssSeries, startDay: number, endDay: number): LoadJumps {
  if (series.firstDate === null) return { currentRatio: null, jumps: [] };
  const first = dayOf(series.firstDate);
  const at = (day: number) => (day >= first && day - first < series.tss.length ? series.tss[day - first] : 0);
  const jumps: LoadJump[] = [];
  let inSpell = false;
  let currentRatio: number | null = null;
  // Start a few weeks early so a spell already under way when the window opens is not reported as new.
  const begin = Math.max(first, startDay - CHRONIC_DAYS);
  let acute = sum(at, begin - ACUTE_DAYS + 1, begin);
  let chronic = sum(at, begin - CHRONIC_DAYS + 1, begin);
  for (let day = begin; day <= endDay; day += 1) {
    if (day > begin) {
      acute += at(day) - at(day - ACUTE_DAYS);
      chronic += at(day) - at(day - CHRONIC_DAYS);
    }
    const chronicPerDay = chronic / CHRONIC_DAYS;
    const judged = day - first + 1 >= CHRONIC_DAYS && chronicPerDay >= MIN_CHRONIC_TSS_PER_DAY;
    const ratio = judged ? acute / ACUTE_DAYS / chronicPerDay : null;
    if (day === endDay) currentRatio = ratio;
    const danger = ratio !== null && ratio > ACWR_DANGER;
    if (danger && !inSpell && day >= startDay) {
      jumps.push({ date: dateOf(day), acuteTssPerDay: acute / ACUTE_DAYS, chronicTssPerDay: chronicPerDay, ratio: ratio as number });
    }
    inSpell = danger;
  }
  return { currentRatio, jumps };
}

function sum(at: (day: number) => number, from: number, to: number): number {
  let total = 0;
  for (let day = from; day <= to; day += 1) total += at(day);
  return total;
}
