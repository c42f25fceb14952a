// Daniels' VDOT against the published table, and Riegel. Table values: Daniels' Running Formula, 3rd ed.
// (2013), VDOT table (race times, and E/M/T paces per km), as transcribed in github.com/tlgs/vdot,
// notebooks/2-analysis.ipynb. The book's tables were generated from the same Daniels-Gilbert equations, so
// our numeric inversion must land within 1% of every entry checked.
import { describe, expect, it } from "vitest";
import { equivalentRaceTimes, paceZones, raceTimeForVdot, riegelTime, vdotFromRace } from "../../service/intelligence/index.js";
import { hms } from "../support/training.js";

const DANIELS_TABLE: Record<number, { "5k": string; "10k": string; half_marathon: string; marathon: string }> = {
  40: { "5k": "24:08", "10k": "50:03", half_marathon: "1:50:59", marathon: "3:49:45" },
  50: { "5k": "19:57", "10k": "41:21", half_marathon: "1:31:35", marathon: "3:10:49" },
  60: { "5k": "17:03", "10k": "35:22", half_marathon: "1:18:09", marathon: "2:43:25" },
  70: { "5k": "14:55", "10k": "31:00", half_marathon: "1:08:21", marathon: "2:23:10" },
};

/** Same book, pace table (per km): marathon and threshold paces. */
const DANIELS_PACES: Record<number, { marathon: string; threshold: string; interval: string }> = {
  40: { marathon: "5:29", threshold: "5:06", interval: "4:42" },
  50: { marathon: "4:31", threshold: "4:15", interval: "3:55" },
  60: { marathon: "3:52", threshold: "3:40", interval: "3:23" },
  70: { marathon: "3:24", threshold: "3:14", interval: "2:59" },
};

describe("Daniels VDOT", () => {
  for (const [vdot, row] of Object.entries(DANIELS_TABLE)) {
    it(`VDOT ${vdot}: equivalent 5k/10k/half/marathon within 1% of the table`, () => {
      const times = equivalentRaceTimes(Number(vdot));
      for (const [race, published] of Object.entries(row) as Array<[keyof typeof row, string]>) {
        expect(Math.abs(times[race] / hms(published) - 1), `${race}: ${times[race].toFixed(0)} s vs ${published}`).toBeLessThan(0.01);
      }
    });

    it(`VDOT ${vdot}: a table time gives back its VDOT within 1%`, () => {
      expect(Math.abs(vdotFromRace(10_000, hms(row["10k"])) / Number(vdot) - 1)).toBeLessThan(0.01);
      expect(Math.abs(vdotFromRace(42_195, hms(row.marathon)) / Number(vdot) - 1)).toBeLessThan(0.01);
    });
  }

  for (const [vdot, paces] of Object.entries(DANIELS_PACES)) {
    it(`VDOT ${vdot}: marathon, threshold and interval paces within 2% of the table`, () => {
      const zones = Object.fromEntries(paceZones(Number(vdot)).map((zone) => [zone.name, zone]));
      expect(Math.abs(zones.marathon.fastestSecPerKm / hms(paces.marathon) - 1)).toBeLessThan(0.01);
      expect(Math.abs(zones.threshold.fastestSecPerKm / hms(paces.threshold) - 1)).toBeLessThan(0.01);
      // The table's I pace sits inside our 97.5-100% band (rounded to the second).
      expect(zones.interval.fastestSecPerKm).toBeLessThanOrEqual(hms(paces.interval) + 1);
      expect(zones.interval.slowestSecPerKm).toBeGreaterThanOrEqual(hms(paces.interval) - 1);
    });
  }

  it("matches the reference checks: 5 km in 20:00 is VDOT 49.8, a 3:00:00 marathon 53.5", () => {
    expect(vdotFromRace(5000, hms("20:00"))).toBeCloseTo(49.8, 1);
    expect(vdotFromRace(42_195, hms("3:00:00"))).toBeCloseTo(53.5, 1);
  });

  it("inverts exactly: the time solved for a VDOT gives that VDOT back", () => {
    for (const meters of [1500, 5000, 21_097.5, 42_195]) {
      expect(vdotFromRace(meters, raceTimeForVdot(47.3, meters))).toBeCloseTo(47.3, 6);
    }
  });
});

describe("Riegel", () => {
  it("predicts the widely quoted 41:42 10k from a 20:00 5k (2^1.06 = 2.085)", () => {
    expect(riegelTime(hms("20:00"), 5000, 10_000)).toBeCloseTo(hms("41:42"), -1);
  });

  it("is the identity at the same distance and slows with distance", () => {
    expect(riegelTime(3000, 10_000, 10_000)).toBe(3000);
    expect(riegelTime(3000, 10_000, 42_195) / 3000).toBeGreaterThan(42_195 / 10_000);
  });
});
