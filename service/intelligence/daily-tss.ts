// The daily TSS series every load computation starts from: the sum of each local day's activities, rest
// days as zeros, from the first activity's day through `through`. It depends only on activities and
// thresholds, so the server can build it at sync time, store it, and answer load questions from it
// (analyzeTrainingLoad extends a stored series with rest days up to the day asked about).
import { dateOf, dayOf, localDay } from "./calendar.js";
import { activityStress, type StressMethod } from "./training-stress.js";
import type { Thresholds } from "./thresholds.js";
import { mergeProvenance, type ActivityInput, type Provenance } from "./types.js";

export interface DailyTssSeries extends Provenance {
  /** Local date of tss[0]; null when there is no activity on or before `through`. */
  firstDate: string | null;
  /** Local date of the last entry (the `through` date it was built for). */
  throughDate: string;
  tss: number[];
  activityCount: number;
  methods: Record<StressMethod, number>;
  /** Thresholds the TSS was computed with: a cached series is stale once these change. */
  basis: { ftp: number | null; lthr: number | null; thresholdPaceSecPerKm: number | null };
}

export function buildDailyTssSeries(activities: readonly ActivityInput[], thresholds: Thresholds, through: string): DailyTssSeries {
  const last = dayOf(through);
  const methods: Record<StressMethod, number> = { power: 0, heart_rate: 0, pace: 0, duration: 0 };
  const byDay = new Map<number, number>();
  const provenance: Provenance[] = [];
  let first = Infinity;
  for (const activity of activities) {
    const day = localDay(activity.startTime, activity.utcOffsetMinutes);
    if (day > last) continue;
    const stress = activityStress(activity, thresholds);
    methods[stress.method] += 1;
    provenance.push(stress);
    byDay.set(day, (byDay.get(day) ?? 0) + stress.tss);
    if (day < first) first = day;
  }
  const merged = mergeProvenance(provenance);
  const basis = { ftp: thresholds.ftp.value, lthr: thresholds.lthr.value, thresholdPaceSecPerKm: thresholds.thresholdPaceSecPerKm.value };
  if (first === Infinity) {
    return { firstDate: null, throughDate: through, tss: [], activityCount: 0, methods, basis, estimated: merged.estimated, missing: ["activities"] };
  }
  const tss = new Array<number>(last - first + 1).fill(0);
  for (const [day, value] of byDay) tss[day - first] += value;
  return { firstDate: dateOf(first), throughDate: through, tss, activityCount: provenance.length, methods, basis, ...merged };
}
