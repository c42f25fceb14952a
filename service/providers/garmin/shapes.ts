// Garmin Health API summaries (as third-party digests of the gated specification describe them; see
// ./index.ts) as zod schemas, and their mapping into the normalized model.
import { z } from "zod";
import type { Activity, ActivityStreams, HrvRecord, Lap, SleepRecord, Sport } from "../../fitness/model.js";
import { optionalNumber } from "../common.js";

export const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number(),
  refresh_token: z.string().min(1),
  refresh_token_expires_in: z.number().optional(),
  token_type: z.string(),
  scope: z.string().optional(),
});

const sample = z.object({
  startTimeInSeconds: z.number(),
  timerDurationInSeconds: optionalNumber,
  heartRate: optionalNumber,
  powerInWatts: optionalNumber,
  speedMetersPerSecond: optionalNumber,
  elevationInMeters: optionalNumber,
});

export const activityDetail = z.object({
  summaryId: z.string().min(1),
  activityId: z.union([z.number(), z.string()]).optional(),
  summary: z.object({
    activityName: z.string().optional(),
    activityType: z.string(),
    startTimeInSeconds: z.number().int(),
    startTimeOffsetInSeconds: z.number().int().optional(),
    durationInSeconds: z.number(),
    movingDurationInSeconds: optionalNumber,
    distanceInMeters: optionalNumber,
    totalElevationGainInMeters: optionalNumber,
    averageHeartRateInBeatsPerMinute: optionalNumber,
    maxHeartRateInBeatsPerMinute: optionalNumber,
    averageSpeedInMetersPerSecond: optionalNumber,
    averagePowerInWatts: optionalNumber,
    activeKilocalories: optionalNumber,
    deviceName: z.string().optional(),
  }),
  samples: z.array(sample).optional(),
  laps: z.array(z.object({ startTimeInSeconds: z.number() })).optional(),
});
type ActivityDetail = z.infer<typeof activityDetail>;

export const sleepSummary = z.object({
  summaryId: z.string().min(1),
  calendarDate: z.iso.date(),
  startTimeInSeconds: z.number().int(),
  startTimeOffsetInSeconds: z.number().int().optional(),
  durationInSeconds: z.number(),
  deepSleepDurationInSeconds: optionalNumber,
  lightSleepDurationInSeconds: optionalNumber,
  remSleepInSeconds: optionalNumber,
  awakeDurationInSeconds: optionalNumber,
});

export const hrvSummary = z.object({
  summaryId: z.string().min(1),
  calendarDate: z.iso.date(),
  lastNightAvg: optionalNumber,
});

export const oauthError = z.object({ error: z.string() });

const SPORTS: Record<string, Sport> = {
  RUNNING: "run",
  TRAIL_RUNNING: "run",
  TREADMILL_RUNNING: "run",
  CYCLING: "ride",
  ROAD_BIKING: "ride",
  MOUNTAIN_BIKING: "ride",
  GRAVEL_CYCLING: "ride",
  INDOOR_CYCLING: "ride",
  VIRTUAL_RIDE: "ride",
  LAP_SWIMMING: "swim",
  OPEN_WATER_SWIMMING: "swim",
  WALKING: "walk",
  HIKING: "hike",
  STRENGTH_TRAINING: "strength",
};

function mean(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
}

export function mapDetail(d: ActivityDetail): Activity {
  const s = d.summary;
  const samples = (d.samples ?? []).slice().sort((a, b) => a.startTimeInSeconds - b.startTimeInSeconds);
  const series = (pick: (x: z.infer<typeof sample>) => number | null) => {
    const values = samples.map(pick);
    return values.some((v) => v !== null) ? values : undefined;
  };
  const streams: ActivityStreams | undefined = samples.length
    ? {
        timeSeconds: samples.map((x) => x.startTimeInSeconds - s.startTimeInSeconds),
        heartRate: series((x) => x.heartRate),
        powerWatts: series((x) => x.powerInWatts),
        speedMps: series((x) => x.speedMetersPerSecond),
        altitudeMeters: series((x) => x.elevationInMeters),
      }
    : undefined;
  const end = s.startTimeInSeconds + s.durationInSeconds;
  const lapStarts = (d.laps ?? []).map((l) => l.startTimeInSeconds).sort((a, b) => a - b);
  const laps = lapStarts.map((start, index): Lap => {
    const lapEnd = lapStarts[index + 1] ?? end;
    const inLap = samples.filter((x) => x.startTimeInSeconds >= start && x.startTimeInSeconds < lapEnd);
    return {
      index,
      startTime: new Date(start * 1000).toISOString(),
      elapsedSeconds: lapEnd - start,
      movingSeconds: null,
      distanceMeters: null,
      avgHeartRate: mean(inLap.map((x) => x.heartRate)),
      avgPowerWatts: mean(inLap.map((x) => x.powerInWatts)),
      avgSpeedMps: mean(inLap.map((x) => x.speedMetersPerSecond)),
    };
  });
  return {
    id: d.summaryId,
    provider: "garmin",
    sport: SPORTS[s.activityType] ?? "other",
    providerSport: s.activityType,
    name: s.activityName ?? s.activityType.toLowerCase().replaceAll("_", " "),
    startTime: new Date(s.startTimeInSeconds * 1000).toISOString(),
    utcOffsetSeconds: s.startTimeOffsetInSeconds ?? 0,
    elapsedSeconds: s.durationInSeconds,
    movingSeconds: s.movingDurationInSeconds,
    distanceMeters: s.distanceInMeters,
    elevationGainMeters: s.totalElevationGainInMeters,
    avgHeartRate: s.averageHeartRateInBeatsPerMinute,
    maxHeartRate: s.maxHeartRateInBeatsPerMinute,
    avgPowerWatts: s.averagePowerInWatts,
    normalizedPowerWatts: null,
    avgSpeedMps: s.averageSpeedInMetersPerSecond,
    calories: s.activeKilocalories,
    device: s.deviceName ?? null,
    synthetic: false,
    laps,
    streams,
  };
}

export function mapSleep(s: z.infer<typeof sleepSummary>): SleepRecord {
  const minutes = (v: number | null) => (v === null ? null : Math.round(v / 60));
  const [deep, light, rem, awake] = [
    s.deepSleepDurationInSeconds,
    s.lightSleepDurationInSeconds,
    s.remSleepInSeconds,
    s.awakeDurationInSeconds,
  ].map(minutes);
  const stages =
    deep !== null && light !== null && rem !== null
      ? { deepMinutes: deep, lightMinutes: light, remMinutes: rem, awakeMinutes: awake ?? 0 }
      : null;
  return {
    id: s.summaryId,
    provider: "garmin",
    date: s.calendarDate,
    startTime: new Date(s.startTimeInSeconds * 1000).toISOString(),
    endTime: new Date((s.startTimeInSeconds + s.durationInSeconds) * 1000).toISOString(),
    utcOffsetSeconds: s.startTimeOffsetInSeconds ?? 0,
    minutesAsleep: stages ? deep! + light! + rem! : Math.round(s.durationInSeconds / 60) - (awake ?? 0),
    minutesAwake: awake,
    stages,
    isMainSleep: true,
    synthetic: false,
  };
}

export function mapHrv(h: z.infer<typeof hrvSummary>): HrvRecord | null {
  if (!h.lastNightAvg) return null;
  return {
    provider: "garmin",
    date: h.calendarDate,
    rmssdMs: h.lastNightAvg,
    deepSleepRmssdMs: null,
    synthetic: false,
  };
}
