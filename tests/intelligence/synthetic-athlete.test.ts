// The engine end to end on the project's synthetic athlete (service/providers/synthetic): two years of
// activities, sleep and HRV in the normalized fitness model, read through the model adapter. The athlete's
// physiology is known, so estimates can be checked against the truth they estimate.
import { describe, expect, it } from "vitest";
import { activitySchema, hrvRecordSchema, sleepRecordSchema, type Activity } from "../../service/fitness/model.js";
import {
  activityInput,
  analyzeTrainingLoad,
  buildDailyTssSeries,
  dateOf,
  dayOf,
  hrvSampleOf,
  hrvStatus,
  predictRaceTime,
  RECENT_FITNESS_DAYS,
  recentActivities,
  recoveryScore,
  resolveThresholds,
  sleepNightOf,
  sleepQuality,
  suggestRestDay,
  withProfileDefaults,
} from "../../service/intelligence/index.js";
import { physiology, profileOf } from "../../service/providers/synthetic/athlete.js";
import { generateHistory } from "../../service/providers/synthetic/history.js";
import { seedFor } from "../../service/providers/synthetic/random.js";

const athlete = physiology(seedFor("intelligence-engine"));
const lastDay = dayOf("2026-11-30");
const today = dateOf(lastDay);
const history = generateHistory(athlete, lastDay);
const activities = history.activities.map(activityInput);
const recent = recentActivities(activities, today, RECENT_FITNESS_DAYS);

describe("the engine on the synthetic athlete", () => {
  it("reads the fitness model: offsets in minutes, nulls as absent, stream dropouts kept as null", () => {
    const withStreams = history.activities.find((a) => a.streams)!;
    const heartRate = [...withStreams.streams!.heartRate!];
    heartRate[3] = null;
    const input = activityInput(activitySchema.parse({ ...withStreams, streams: { ...withStreams.streams, heartRate } }) as Activity);
    expect(input.utcOffsetMinutes).toBe(withStreams.utcOffsetSeconds / 60);
    expect(input.streams?.time).toEqual(withStreams.streams!.timeSeconds);
    expect(input.streams?.heartrate?.[3]).toBeNull();
    const bare = activityInput({ ...withStreams, avgHeartRate: null, streams: undefined });
    expect(bare.averageHeartRate).toBeUndefined();
    expect(bare.streams).toBeUndefined();
    expect(sleepNightOf(sleepRecordSchema.parse(history.sleep[0])).durationMinutes).toBe(history.sleep[0].minutesAsleep);
    expect(hrvSampleOf(hrvRecordSchema.parse(history.hrv[0])).rmssd).toBe(history.hrv[0].rmssdMs);
  });

  it("with the provider profile as defaults, FTP and heart rates are configured and only LTHR and pace estimated", () => {
    const thresholds = resolveThresholds(withProfileDefaults({}, profileOf(athlete)), recent);
    expect(thresholds.ftp).toMatchObject({ value: athlete.ftpWatts, source: "configured" });
    expect(thresholds.maxHr.value).toBe(athlete.maxHeartRate);
    expect(thresholds.estimated).toEqual(["lthr", "thresholdPaceSecPerKm"]);
  });

  it("estimates from activities alone are bounded by the truth: best efforts cannot beat the physiology", () => {
    const thresholds = resolveThresholds({}, recent);
    // Without a maximal 20-min effort in the window, 95% of the best 20 min is a lower bound on FTP.
    expect(thresholds.ftp.value!).toBeLessThanOrEqual(athlete.ftpWatts * 1.05);
    expect(thresholds.maxHr.value!).toBeLessThanOrEqual(athlete.maxHeartRate);
    // The best run's one-hour pace is no faster than the athlete's threshold speed allows, and near it.
    const truePace = 1000 / athlete.thresholdRunMps;
    expect(thresholds.thresholdPaceSecPerKm.value!).toBeGreaterThan(truePace * 0.97);
    expect(thresholds.thresholdPaceSecPerKm.value!).toBeLessThan(truePace * 1.15);
  });

  it("two years give a settled load, from power and heart rate, and a full answer chain", () => {
    const thresholds = resolveThresholds(withProfileDefaults({}, profileOf(athlete)), recent);
    const series = buildDailyTssSeries(activities, thresholds, today);
    const load = analyzeTrainingLoad(series, today);
    expect(load.confidence).toBe("full");
    expect(series.methods.power).toBeGreaterThan(0);
    expect(series.methods.heart_rate).toBeGreaterThan(0);
    // A trained amateur's chronic load: tens of TSS a day, not single digits or hundreds.
    expect(load.ctl).toBeGreaterThan(20);
    expect(load.ctl).toBeLessThan(150);
    const sleep = sleepQuality(sleepNightOf(history.sleep.at(-1)!));
    const hrv = hrvStatus(history.hrv.map(hrvSampleOf), today);
    const advice = suggestRestDay({ load, series, sleep, hrv, acuteChronicRatio: null, recovery: recoveryScore({ tsb: load.tsb, sleep, hrv }) });
    expect(typeof advice.restRecommended).toBe("boolean");
    const prediction = predictRaceTime(recent, 42_195);
    expect(prediction.basis!.vdot).toBeGreaterThan(30);
    expect(prediction.basis!.vdot).toBeLessThan(75);
  });
});
