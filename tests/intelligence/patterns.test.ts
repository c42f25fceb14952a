// Pattern detection on hand-built calendars (2026-01-05 is a Monday).
import { describe, expect, it } from "vitest";
import { buildDailyTssSeries, dateOf, dayOf, detectPatterns, resolveThresholds, type ActivityInput } from "../../service/intelligence/index.js";
import { activity } from "../support/training.js";

const thresholds = resolveThresholds({ lthr: 160 }, []);
const MONDAY = dayOf("2026-01-05");

/** Sessions on the given weekdays (0 = Monday) for `weeks` weeks; the Saturday one is the long one. */
function schedule(weeks: number, weekdays: number[], hoursOn: (weekday: number) => number = (d) => (d === 5 ? 2.5 : 1)): ActivityInput[] {
  const out: ActivityInput[] = [];
  for (let w = 0; w < weeks; w += 1) {
    for (const d of weekdays) {
      const seconds = hoursOn(d) * 3600;
      out.push(activity({ startTime: `${dateOf(MONDAY + w * 7 + d)}T07:00:00Z`, movingSeconds: seconds, elapsedSeconds: seconds, averageHeartRate: 140 }));
    }
  }
  return out;
}

describe("detectPatterns", () => {
  const activities = schedule(8, [1, 3, 5]); // Tue, Thu, Sat
  const today = dateOf(MONDAY + 8 * 7 - 1); // the Sunday ending week 8
  const patterns = detectPatterns(activities, buildDailyTssSeries(activities, thresholds, today), today, 4);

  it("finds the weekly rhythm and rest days", () => {
    expect(patterns.rhythm.usualDays).toEqual(["Tuesday", "Thursday", "Saturday"]);
    expect(patterns.rhythm.restDays).toEqual(["Monday", "Wednesday", "Friday", "Sunday"]);
    expect(patterns.rhythm.weekdays[1]).toMatchObject({ weekday: "Tuesday", sessions: 4, weekShare: 1 });
  });

  it("finds the long-session day", () => {
    expect(patterns.longSession).toEqual({ weekday: "Saturday", share: 1, weeksWithSessions: 4 });
  });

  it("counts week streaks of 3+ sessions; day streaks are single days here", () => {
    // Today (Sunday) has no session yet, so yesterday's keeps the current day streak at 1.
    expect(patterns.streaks).toMatchObject({ currentWeekStreak: 8, longestWeekStreak: 8, longestDayStreak: 1, currentDayStreak: 1 });
  });

  it("steady training has no load jump and a ratio near 1", () => {
    expect(patterns.loadJumps.jumps).toEqual([]);
    expect(patterns.loadJumps.currentRatio).toBeCloseTo(1, 1);
  });

  it("a week of triple volume after steady weeks is a load jump (ACWR > 1.5)", () => {
    const spike = [...schedule(7, [1, 3, 5]), ...schedule(1, [0, 1, 2, 3, 4, 5, 6], () => 2).map((a) => ({ ...a, startTime: `${dateOf(dayOf(a.startTime.slice(0, 10)) + 49)}T07:00:00Z` }))];
    const result = detectPatterns(spike, buildDailyTssSeries(spike, thresholds, today), today, 2);
    expect(result.loadJumps.jumps).toHaveLength(1);
    expect(result.loadJumps.jumps[0].ratio).toBeGreaterThan(1.5);
    expect(result.loadJumps.currentRatio!).toBeGreaterThan(1.5);
    expect(result.streaks.currentDayStreak).toBe(7);
  });

  it("with no activities: empty patterns and the gaps named", () => {
    const empty = detectPatterns([], buildDailyTssSeries([], thresholds, today), today);
    expect(empty.longSession.weekday).toBeNull();
    expect(empty.loadJumps).toEqual({ currentRatio: null, jumps: [] });
    expect(empty.missing).toContain("activities");
  });
});
