// Daily TSS series and CTL/ATL/TSB. Expected values come from the closed form of the recurrence
// x_n = x_(n-1) + k (TSS - x_(n-1)): for a constant daily TSS from zero, x_n = TSS (1 - (1 - k)^n), and
// after m rest days x decays by (1 - k)^m, with k = 1 - e^(-1/N) (so 1 - k = e^(-1/N)).
import { describe, expect, it } from "vitest";
import {
  analyzeTrainingLoad,
  buildDailyTssSeries,
  dateOf,
  dayOf,
  decayConstant,
  formBand,
  overtrainingFlags,
  resolveThresholds,
  type ActivityInput,
} from "../../service/intelligence/index.js";
import { activity } from "../support/training.js";

const thresholds = resolveThresholds({ lthr: 160, ftp: 250, thresholdPaceSecPerKm: 300, maxHr: 190, restingHr: 50 }, []);

/** An hour at LTHR (100 TSS) at 07:00 UTC on each date. */
const hourAtThreshold = (date: string, overrides: Partial<ActivityInput> = {}) =>
  activity({ startTime: `${date}T07:00:00Z`, averageHeartRate: 160, ...overrides });

function daily(from: string, days: number): ActivityInput[] {
  return Array.from({ length: days }, (_, i) => hourAtThreshold(dateOf(dayOf(from) + i)));
}

describe("daily TSS series", () => {
  it("sums a day with three sessions and puts zeros on rest days", () => {
    const series = buildDailyTssSeries(
      [hourAtThreshold("2026-01-01"), hourAtThreshold("2026-01-01", { startTime: "2026-01-01T12:00:00Z" }), hourAtThreshold("2026-01-01", { startTime: "2026-01-01T18:00:00Z", movingSeconds: 1800 }), hourAtThreshold("2026-01-04")],
      thresholds,
      "2026-01-05",
    );
    expect(series.firstDate).toBe("2026-01-01");
    expect(series.tss.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([250, 0, 0, 100, 0]);
    expect(series.activityCount).toBe(4);
    expect(series.methods.heart_rate).toBe(4);
    expect(series.basis).toEqual({ ftp: 250, lthr: 160, thresholdPaceSecPerKm: 300 });
  });

  it("files an activity under the athlete's local day, around midnight in both directions", () => {
    const newYork = hourAtThreshold("x", { startTime: "2026-03-10T04:30:00Z", utcOffsetMinutes: -300 }); // 23:30 on the 9th
    const tokyo = hourAtThreshold("x", { startTime: "2026-03-09T15:30:00Z", utcOffsetMinutes: 540 }); // 00:30 on the 10th
    const series = buildDailyTssSeries([newYork, tokyo], thresholds, "2026-03-10");
    expect(series.firstDate).toBe("2026-03-09");
    expect(series.tss.map(Math.round)).toEqual([100, 100]);
    const utcOnly = buildDailyTssSeries([{ ...newYork, utcOffsetMinutes: 0 }], thresholds, "2026-03-10");
    expect(utcOnly.firstDate).toBe("2026-03-10");
  });

  it("ignores activities after the date it is built through", () => {
    const series = buildDailyTssSeries([hourAtThreshold("2026-01-01"), hourAtThreshold("2026-02-01")], thresholds, "2026-01-10");
    expect(series.tss).toHaveLength(10);
    expect(series.activityCount).toBe(1);
  });

  it("with no activities: empty, and says so", () => {
    const series = buildDailyTssSeries([], thresholds, "2026-01-10");
    expect(series).toMatchObject({ firstDate: null, tss: [], missing: ["activities"] });
    const load = analyzeTrainingLoad(series, "2026-01-10");
    expect(load).toMatchObject({ ctl: 0, atl: 0, tsb: 0, historyDays: 0, confidence: "reduced" });
  });
});

describe("CTL / ATL / TSB", () => {
  it("uses k = 1 - e^(-1/N)", () => {
    expect(decayConstant(42)).toBeCloseTo(0.023528, 6);
    expect(decayConstant(7)).toBeCloseTo(0.133122, 6);
  });

  it("one activity: CTL = 100 k42 and ATL = 100 k7 on its day", () => {
    const load = analyzeTrainingLoad(buildDailyTssSeries([hourAtThreshold("2026-01-01")], thresholds, "2026-01-01"), "2026-01-01");
    expect(load.ctl).toBeCloseTo(100 * decayConstant(42), 9);
    expect(load.atl).toBeCloseTo(100 * decayConstant(7), 9);
    expect(load.tsb).toBeCloseTo(load.ctl - load.atl, 12);
    expect(load.confidence).toBe("reduced");
    expect(load.historyDays).toBe(1);
  });

  it("converges to a constant daily load: 200 days of 100 TSS", () => {
    const load = analyzeTrainingLoad(buildDailyTssSeries(daily("2025-01-01", 200), thresholds, dateOf(dayOf("2025-01-01") + 199)), dateOf(dayOf("2025-01-01") + 199));
    expect(load.ctl).toBeCloseTo(100 * (1 - Math.exp(-200 / 42)), 6);
    expect(load.atl).toBeCloseTo(100 * (1 - Math.exp(-200 / 7)), 6);
    expect(load.confidence).toBe("full");
    expect(load.missing).toEqual([]);
  });

  it("runs through today: rest after the last activity lowers fatigue and shows as freshness", () => {
    const activities = daily("2025-01-01", 150);
    const lastDay = dateOf(dayOf("2025-01-01") + 149);
    const series = buildDailyTssSeries(activities, thresholds, lastDay);
    const atEnd = analyzeTrainingLoad(series, lastDay);
    const tenDaysLater = analyzeTrainingLoad(series, dateOf(dayOf(lastDay) + 10));
    expect(tenDaysLater.ctl).toBeCloseTo(atEnd.ctl * Math.exp(-10 / 42), 9);
    expect(tenDaysLater.atl).toBeCloseTo(atEnd.atl * Math.exp(-10 / 7), 9);
    expect(atEnd.form).toBe("productive");
    expect(tenDaysLater.tsb).toBeGreaterThan(10);
    expect(tenDaysLater.form).toBe("detraining");
  });

  it("a series cached at sync and extended to today equals one rebuilt today", () => {
    const activities = [...daily("2025-06-01", 30), hourAtThreshold("2025-08-15")];
    const cached = buildDailyTssSeries(activities, thresholds, "2025-08-20");
    const fresh = buildDailyTssSeries(activities, thresholds, "2025-09-30");
    expect(analyzeTrainingLoad(cached, "2025-09-30")).toEqual(analyzeTrainingLoad(fresh, "2025-09-30"));
  });

  it("a long gap decays CTL by e^(-gap/42)", () => {
    const before = daily("2024-01-01", 100);
    const after = hourAtThreshold("2024-12-01");
    const gapEnd = dateOf(dayOf("2024-12-01") - 1);
    const series = buildDailyTssSeries([...before, after], thresholds, gapEnd);
    const end100 = analyzeTrainingLoad(series, dateOf(dayOf("2024-01-01") + 99));
    const gap = dayOf(gapEnd) - (dayOf("2024-01-01") + 99);
    expect(analyzeTrainingLoad(series, gapEnd).ctl).toBeCloseTo(end100.ctl * Math.exp(-gap / 42), 9);
  });

  it("reports the last `days` days, oldest first", () => {
    const load = analyzeTrainingLoad(buildDailyTssSeries(daily("2025-01-01", 60), thresholds, "2025-03-01"), "2025-03-01", 14);
    expect(load.daily).toHaveLength(14);
    expect(load.daily[13]).toMatchObject({ date: "2025-03-01", ctl: load.ctl, atl: load.atl });
    expect(load.daily[0].date).toBe("2025-02-16");
  });

  it("a sudden block of hard days raises the overtraining flags", () => {
    const base = daily("2025-01-01", 130);
    const block = Array.from({ length: 10 }, (_, i) => hourAtThreshold(dateOf(dayOf("2025-05-11") + i), { movingSeconds: 3 * 3600 }));
    const today = dateOf(dayOf("2025-05-11") + 9);
    const load = analyzeTrainingLoad(buildDailyTssSeries([...base, ...block], thresholds, today), today);
    expect(load.atl).toBeGreaterThan(150);
    expect(load.tsb).toBeLessThan(-10);
    expect(load.risk).toBe("high");
    expect(load.form).toBe("overreaching");
  });
});

describe("form bands and flags", () => {
  it("bands at -10 / 0 / 10", () => {
    expect([-10.1, -10, -0.1, 0, 10, 10.1].map(formBand)).toEqual(["overreaching", "productive", "productive", "fresh", "fresh", "detraining"]);
  });

  it("counts flags into a risk level", () => {
    expect(overtrainingFlags(80, 70, 10).risk).toBe("low");
    expect(overtrainingFlags(50, 70, -5).risk).toBe("moderate");
    expect(overtrainingFlags(100, 160, -60).flags).toHaveLength(3);
  });
});
