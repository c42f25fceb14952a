// TSS per activity. Coggan's definition (Allen & Coggan, Training and Racing with a Power Meter, 2010;
// British Cycling Insight Zone "Quantifying your training workload with TSS"): one hour at FTP is 100 TSS,
// TSS = (s x NP x IF) / (FTP x 3600) x 100. The examples below are those definitions applied by hand.
import { describe, expect, it } from "vitest";
import { activityStress, normalizedPower, resolveThresholds } from "../../service/intelligence/index.js";
import { activity, stream } from "../support/training.js";

const ride = (seconds: number, watts: number | ((t: number) => number), step = 1) =>
  activity({ sport: "Ride", elapsedSeconds: seconds, movingSeconds: seconds, distanceMeters: 30_000, streams: stream(seconds, { watts }, step) });

describe("normalized power", () => {
  it("equals the power of a perfectly steady effort", () => {
    const { time, watts } = stream(3600, { watts: 200 });
    expect(normalizedPower(time, watts!)).toBeCloseTo(200, 9);
  });

  it("weights surges: half an hour at 100 W then at 300 W is ~253 W, not the 200 W average", () => {
    // Without the 30 s transition, NP = ((100^4 + 300^4) / 2)^(1/4) = 253.0 W.
    const { time, watts } = stream(3600, { watts: (t) => (t < 1800 ? 100 : 300) });
    expect(normalizedPower(time, watts!)).toBeGreaterThan(251);
    expect(normalizedPower(time, watts!)).toBeLessThan(254);
  });

  it("is the same from a 1 Hz stream and one recorded every 2 s", () => {
    const surges = (t: number) => (Math.floor(t / 120) % 2 === 0 ? 150 : 320);
    const a = stream(3600, { watts: surges }, 1);
    const b = stream(3600, { watts: surges }, 2);
    expect(normalizedPower(b.time, b.watts!)).toBeCloseTo(normalizedPower(a.time, a.watts!)!, 0);
  });

  it("leaves pauses out instead of counting them as riding", () => {
    const time = [...Array.from({ length: 1800 }, (_, i) => i), ...Array.from({ length: 1800 }, (_, i) => 5000 + i)];
    expect(normalizedPower(time, time.map(() => 250))).toBeCloseTo(250, 9);
  });

  it("holds the last good value through a dropout (null) instead of counting zero watts", () => {
    const { time, watts } = stream(600, { watts: 240 });
    const dropped = watts!.map((w, i) => (i >= 100 && i < 110 ? null : w));
    expect(normalizedPower(time, dropped)).toBeCloseTo(240, 9);
  });

  it("needs at least one 30 s window", () => {
    expect(normalizedPower([0, 1, 2], [300, 300, 300])).toBeUndefined();
  });
});

describe("activity stress", () => {
  const configured = resolveThresholds({ ftp: 250, lthr: 165, thresholdPaceSecPerKm: 240, maxHr: 190, restingHr: 50 }, []);

  it("one hour at FTP is 100 TSS; half an hour is 50; two hours at IF 0.75 is 112.5", () => {
    expect(activityStress(ride(3600, 250), configured).tss).toBeCloseTo(100, 6);
    expect(activityStress(ride(1800, 250), configured).tss).toBeCloseTo(50, 6);
    const twoHours = activityStress(ride(7200, 187.5), configured);
    expect(twoHours.intensityFactor).toBeCloseTo(0.75, 9);
    expect(twoHours.tss).toBeCloseTo(112.5, 6);
    expect(twoHours.method).toBe("power");
    expect(twoHours.estimated).toEqual([]);
  });

  it("uses NP from the stream over the provider's average power", () => {
    const surging = ride(3600, (t) => (t < 1800 ? 100 : 300));
    const stress = activityStress({ ...surging, averagePower: 200 }, configured);
    expect(stress.power).toBeGreaterThan(251);
    expect(stress.tss).toBeCloseTo((stress.power! / 250) ** 2 * 100, 9);
  });

  it("says when average power stood in for NP, and prefers the provider's NP to it", () => {
    const bare = { ...ride(3600, 200), streams: undefined, averagePower: 200 };
    expect(activityStress(bare, configured).estimated).toEqual(["normalized power (average power used)"]);
    const withNp = activityStress({ ...bare, normalizedPower: 225 }, configured);
    expect(withNp).toMatchObject({ power: 225, estimated: [] });
  });

  it("hrTSS: an hour at LTHR is 100, at 90% of LTHR 81", () => {
    const run = (bpm: number) => activity({ averageHeartRate: bpm });
    expect(activityStress(run(165), configured)).toMatchObject({ method: "heart_rate", tss: expect.closeTo(100, 6) });
    expect(activityStress(run(148.5), configured).tss).toBeCloseTo(81, 6);
  });

  it("falls back to pace for a run with no sensors: threshold pace over actual pace", () => {
    // 10 km in 50 min = 300 s/km; threshold 240 s/km -> IF 0.8 -> 64 TSS per hour, 53.3 over the 50 min.
    const stress = activityStress(activity({ movingSeconds: 3000, elapsedSeconds: 3000 }), configured);
    expect(stress.method).toBe("pace");
    expect(stress.intensityFactor).toBeCloseTo(0.8, 9);
    expect(stress.tss).toBeCloseTo((3000 / 3600) * 0.64 * 100, 6);
  });

  it("with no thresholds configured and no history, says the pace intensity was estimated and what is missing", () => {
    const none = resolveThresholds({}, []);
    const stress = activityStress(activity({ movingSeconds: 3600 }), none); // 6:00/km -> IF 0.75 x 600/360 = 1.25 -> 1.2
    expect(stress.method).toBe("pace");
    expect(stress.intensityFactor).toBe(1.2);
    expect(stress.missing).toContain("thresholdPaceSecPerKm");
    expect(stress.estimated.length).toBeGreaterThan(0);
  });

  it("a ride with power but no FTP and no HR uses an assumed easy intensity and names FTP as missing", () => {
    const stress = activityStress({ ...ride(3600, 200), streams: undefined, averagePower: 200 }, resolveThresholds({}, []));
    expect(stress.method).toBe("duration");
    expect(stress.tss).toBeCloseTo(0.65 ** 2 * 100, 6);
    expect(stress.missing).toContain("ftp");
  });

  it("a ride with power and heart rate but no FTP uses heart rate, and says FTP was missing", () => {
    const stress = activityStress({ ...ride(3600, 200), streams: undefined, averagePower: 200, averageHeartRate: 150 }, resolveThresholds({ lthr: 160 }, []));
    expect(stress.method).toBe("heart_rate");
    expect(stress.missing).toEqual(["ftp"]);
  });

  it("a configured LTHR beats an FTP estimated from easy rides; with both configured, power wins", () => {
    // FTP estimate 142.5 W from an easy ride: a lower bound far below the truth; LTHR estimate 130 bpm.
    const easyRides = [{ ...ride(3600, 150), streams: stream(3600, { watts: 150, heartrate: 130 }) }];
    const hardRide = { ...ride(3600, 200), averageHeartRate: 160 };
    const estimatedFtp = resolveThresholds({ lthr: 165 }, easyRides);
    expect(activityStress(hardRide, estimatedFtp)).toMatchObject({ method: "heart_rate", estimated: [] });
    expect(activityStress(hardRide, resolveThresholds({ lthr: 165, ftp: 250 }, easyRides)).method).toBe("power");
    const bothEstimated = resolveThresholds({}, easyRides);
    expect(bothEstimated.estimated).toEqual(expect.arrayContaining(["ftp", "lthr"]));
    expect(activityStress(hardRide, bothEstimated).method).toBe("power"); // neither configured: power first
  });

  it("running power is not scored against a cycling FTP", () => {
    const stress = activityStress(activity({ averagePower: 250, averageHeartRate: 165 }), configured);
    expect(stress.method).toBe("heart_rate");
  });
});

describe("threshold estimation", () => {
  it("configured values win and nothing is reported estimated", () => {
    const t = resolveThresholds({ ftp: 280, lthr: 170, maxHr: 192, restingHr: 48, thresholdPaceSecPerKm: 230 }, [ride(3600, 400)]);
    expect(t.ftp).toEqual({ value: 280, source: "configured", method: null });
    expect(t.estimated).toEqual([]);
    expect(t.missing).toEqual([]);
  });

  it("FTP is 95% of the best 20 minutes of power (Allen & Coggan's 20-min test)", () => {
    const effort = ride(3600, (t) => (t >= 600 && t < 1800 ? 300 : 150));
    expect(resolveThresholds({}, [effort]).ftp).toMatchObject({ value: expect.closeTo(285, 6), source: "estimated" });
  });

  it("without a harder stream, FTP comes from the best ride's summary power, still 95% of it", () => {
    const streamed = ride(3600, 150);
    const summaryOnly = { ...ride(2400, 100), streams: undefined, normalizedPower: 240 };
    expect(resolveThresholds({}, [streamed, summaryOnly]).ftp.value).toBeCloseTo(228, 9);
    expect(resolveThresholds({}, [streamed]).ftp.value).toBeCloseTo(142.5, 9);
  });

  it("LTHR from the best 20-min heart rate; max HR from the highest recorded", () => {
    const run = activity({ maxHeartRate: 188, streams: stream(2400, { heartrate: (t) => (t < 600 ? 140 : 168) }) });
    const t = resolveThresholds({}, [run]);
    expect(t.lthr.value).toBeCloseTo(168, 6);
    expect(t.maxHr.value).toBe(188);
    expect(t.estimated).toEqual(expect.arrayContaining(["lthr", "maxHr", "restingHr", "thresholdPaceSecPerKm"]));
  });

  it("max HR by Tanaka (208 - 0.7 age) without any heart-rate data; LTHR 85% of it", () => {
    const t = resolveThresholds({ age: 40 }, []);
    expect(t.maxHr.value).toBeCloseTo(180, 9);
    expect(t.lthr.value).toBeCloseTo(153, 9);
    expect(t.missing).toEqual(["ftp", "thresholdPaceSecPerKm"]);
  });

  it("threshold pace is the one-hour pace at the best run's VDOT", () => {
    // 5 km in 20:00 = VDOT 49.8; Daniels' T pace at VDOT 50 is 4:15/km.
    const t = resolveThresholds({}, [activity({ distanceMeters: 5000, movingSeconds: 1200, elapsedSeconds: 1200 })]);
    expect(t.thresholdPaceSecPerKm.value).toBeGreaterThan(253);
    expect(t.thresholdPaceSecPerKm.value).toBeLessThan(258);
  });
});
