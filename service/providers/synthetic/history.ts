// The synthetic athlete's whole history for a window of days: activities, sleep and HRV. Each day is drawn
// from its own seeded stream, so the window only decides which days are shown, never what they contain.
import type { Activity, HrvRecord, SleepRecord } from "../../fitness/model.js";
import type { Physiology } from "./athlete.js";
import { materialize } from "./materialize.js";
import { planDay, plannedStress, weekOf } from "./plan.js";
import { between, mix, noise, rng } from "./random.js";

export const HISTORY_DAYS = 730;
const DAY_MS = 86_400_000;

export interface History {
  activities: Activity[];
  sleep: SleepRecord[];
  hrv: HrvRecord[];
}

const dateOf = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

function stressOf(p: Physiology, dayNumber: number): number {
  return planDay(p, dayNumber).reduce((sum, s) => sum + plannedStress(s), 0);
}

/** Sleep and HRV for the night that ends on `dayNumber`, shaped by the previous day and the last week. */
function night(
  p: Physiology,
  dayNumber: number,
  yesterday: number,
  lastWeek: number,
): { sleep: SleepRecord; hrv: HrvRecord } | null {
  const r = rng(mix(mix(p.seed, dayNumber), 0x51ee9));
  if (r() < 0.03) return null; // watch not worn
  const date = dateOf(dayNumber);
  const { phase, dayOfWeek } = weekOf(p, dayNumber);
  const weekendNight = dayOfWeek === 5 || dayOfWeek === 6; // Friday and Saturday nights end Sat/Sun
  const bedtimeLocal = (weekendNight ? between(r, 23, 24.5) : between(r, 22, 23.3)) - 24; // hours, previous evening
  const hardDay = Math.min(1, yesterday / 200);
  const asleep = Math.round(
    Math.min(
      560,
      Math.max(300, 440 + (phase === "recovery" ? 15 : 0) + 20 * hardDay + (weekendNight ? 25 : 0) + noise(r, 35)),
    ),
  );
  const awake = Math.round(asleep * between(r, 0.05, 0.12));
  const deep = Math.round(asleep * between(r, 0.14, 0.2));
  const rem = Math.round(asleep * between(r, 0.19, 0.25));
  const start = Date.parse(`${date}T00:00:00Z`) + (Math.round(bedtimeLocal * 60) * 60 - p.utcOffsetSeconds) * 1000;
  const end = start + (asleep + awake) * 60_000;
  // Yesterday's load and the week's fatigue lower the nightly RMSSD; noise keeps it from being a formula.
  const suppression = 0.0012 * yesterday + 0.0008 * Math.max(0, lastWeek / 7 - 50);
  const rmssd = Math.max(15, p.hrvBaselineMs * (1 - suppression) * (1 + noise(r, 0.06)));
  return {
    sleep: {
      id: `${date}-night`,
      provider: "synthetic",
      date,
      startTime: new Date(start).toISOString(),
      endTime: new Date(end).toISOString(),
      utcOffsetSeconds: p.utcOffsetSeconds,
      minutesAsleep: asleep,
      minutesAwake: awake,
      stages: { deepMinutes: deep, remMinutes: rem, lightMinutes: asleep - deep - rem, awakeMinutes: awake },
      isMainSleep: true,
      synthetic: true,
    },
    hrv: {
      provider: "synthetic",
      date,
      rmssdMs: Math.round(rmssd * 10) / 10,
      deepSleepRmssdMs: Math.round(rmssd * 11.5) / 10,
      synthetic: true,
    },
  };
}

/** Days [lastDay - days + 1, lastDay], as days since the epoch in the athlete's local calendar. */
export function generateHistory(p: Physiology, lastDay: number, days = HISTORY_DAYS): History {
  const first = lastDay - days + 1;
  const activities: Activity[] = [];
  const sleep: SleepRecord[] = [];
  const hrv: HrvRecord[] = [];
  // A week of warm-up before the window so the first nights see the same fatigue as in any other window.
  const stress: number[] = [];
  for (let d = first - 7; d < first; d++) stress.push(stressOf(p, d));
  for (let d = first; d <= lastDay; d++) {
    const yesterday = stress[stress.length - 1]!;
    const lastWeek = stress.slice(-7).reduce((a, b) => a + b, 0);
    const n = night(p, d, yesterday, lastWeek);
    if (n) {
      sleep.push(n.sleep);
      hrv.push(n.hrv);
    }
    const plan = planDay(p, d);
    const date = dateOf(d);
    for (const session of plan) activities.push(materialize(p, date, d, session));
    stress.push(plan.reduce((sum, s) => sum + plannedStress(s), 0));
  }
  activities.sort((a, b) => a.startTime.localeCompare(b.startTime));
  return { activities, sleep, hrv };
}
