// Zones and TRIMP, with expected values worked by hand from the published definitions.
import { describe, expect, it } from "vitest";
import { banisterTrimp, heartRateZones, personalizedZones, powerZones, resolveThresholds, rockportVo2max } from "../../service/intelligence/index.js";

describe("Karvonen heart-rate zones", () => {
  it("rest 60, max 190 (the reference defaults): reserve 130, zone edges at 50-90% of it", () => {
    const zones = heartRateZones(60, 190);
    expect(zones.map((z) => z.min)).toEqual([125, 138, 151, 164, 177]);
    expect(zones[4].max).toBe(190);
  });
});

describe("Coggan power zones", () => {
  it("FTP 250: 137.5 / 187.5 / 225 / 262.5 / 300 / 375 W edges", () => {
    const zones = powerZones(250);
    expect(zones.map((z) => z.min)).toEqual([0, 137.5, 187.5, 225, 262.5, 300, 375]);
    expect(zones[6].max).toBeNull();
  });
});

describe("Banister TRIMP", () => {
  it("30 min at half the heart-rate reserve: 30 x 0.5 x 0.64 e^0.96 = 25.07 (men), 30 x 0.5 x 0.86 e^0.835 = 29.73 (women)", () => {
    expect(banisterTrimp(30, 125, 60, 190, "male")).toBeCloseTo(25.07, 2);
    expect(banisterTrimp(30, 125, 60, 190, "female")).toBeCloseTo(29.73, 2);
  });

  it("clamps the reserve to 0..1", () => {
    expect(banisterTrimp(60, 50, 60, 190, "male")).toBe(0);
    expect(banisterTrimp(60, 200, 60, 190, "male")).toBeCloseTo(60 * 0.64 * Math.exp(1.92), 9);
  });
});

describe("personalized zones", () => {
  it("without thresholds: no power or pace zones, HR zones only from an estimate, all named", () => {
    const zones = personalizedZones(resolveThresholds({ age: 40 }, []));
    expect(zones.power).toBeNull();
    expect(zones.pace).toBeNull();
    expect(zones.heartRate?.[4].max).toBeCloseTo(180, 9);
    expect(zones.estimated).toEqual(["maxHr", "restingHr"]);
    expect(zones.missing).toEqual(["ftp", "thresholdPaceSecPerKm"]);
  });

  it("a configured threshold pace of 4:15/km gives pace zones at about VDOT 50", () => {
    const zones = personalizedZones(resolveThresholds({ thresholdPaceSecPerKm: 255, maxHr: 190, restingHr: 50, ftp: 300 }, []));
    expect(zones.vdot).toBeGreaterThan(49.5);
    expect(zones.vdot).toBeLessThan(50.5);
    expect(zones.pace?.find((z) => z.name === "threshold")?.fastestSecPerKm).toBeCloseTo(255, 6);
    expect(zones.estimated).toEqual([]);
  });
});

describe("Rockport walk test", () => {
  it("70 kg (154.3 lb) man, 40 y, 15:00 mile, HR 120: 132.853 - 11.867 - 15.508 + 6.315 - 48.974 - 18.78 = 44.04", () => {
    expect(rockportVo2max(70, 40, "male", 15, 120)).toBeCloseTo(44.04, 2);
    expect(rockportVo2max(70, 40, "male", 15, 120) - rockportVo2max(70, 40, "female", 15, 120)).toBeCloseTo(6.315, 9);
  });
});
