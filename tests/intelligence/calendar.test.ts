// Local days: the calendar every series and week is built on.
import { describe, expect, it } from "vitest";
import { dateOf, dayOf, localDay, weekdayOf } from "../../service/intelligence/index.js";

describe("calendar", () => {
  it("round-trips dates, including leap days", () => {
    for (const date of ["1970-01-01", "2024-02-29", "2026-12-31"]) expect(dateOf(dayOf(date))).toBe(date);
  });

  it("refuses impossible or malformed dates instead of rolling them over", () => {
    for (const bad of ["2026-02-30", "2026-13-01", "2026-1-5", "today"]) expect(() => dayOf(bad)).toThrow(RangeError);
    expect(() => localDay("yesterday", 0)).toThrow(RangeError);
  });

  it("puts an instant on the local day of its offset, across the date line", () => {
    const instant = "2026-06-30T23:30:00Z";
    expect(dateOf(localDay(instant, 0))).toBe("2026-06-30");
    expect(dateOf(localDay(instant, 60))).toBe("2026-07-01");
    expect(dateOf(localDay(instant, -600))).toBe("2026-06-30");
    expect(dateOf(localDay("2026-07-01T00:30:00Z", -60))).toBe("2026-06-30");
    expect(dateOf(localDay("2026-06-30T10:00:00Z", 840))).toBe("2026-07-01"); // Kiribati, UTC+14
  });

  it("numbers weekdays from Monday = 0", () => {
    expect(weekdayOf(dayOf("2026-01-05"))).toBe(0); // a Monday
    expect(weekdayOf(dayOf("2026-01-11"))).toBe(6);
  });
});
