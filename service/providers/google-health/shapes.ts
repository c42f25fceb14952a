// Google Health API v4 shapes (from Google's generated client, see ./index.ts) as zod schemas, and their
// mapping into the normalized model. int64 fields arrive as strings, durations as "3600s".
import { z } from "zod";
import type { Activity, HrvRecord, Lap, SleepRecord, Sport } from "../../fitness/model.js";
import { durationSeconds, optionalNumber } from "../common.js";

export const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string(),
});

export const oauthError = z.object({ error: z.string() });
export const apiError = z.object({ error: z.object({ code: z.number().optional(), status: z.string().optional() }) });

const sessionInterval = z.object({
  startTime: z.iso.datetime({ offset: true }),
  endTime: z.iso.datetime({ offset: true }),
  startUtcOffset: z.string().optional(),
  endUtcOffset: z.string().optional(),
});

const metricsSummary = z
  .object({
    distanceMillimeters: optionalNumber,
    elevationGainMillimeters: optionalNumber,
    averageHeartRateBeatsPerMinute: optionalNumber,
    averageSpeedMillimetersPerSecond: optionalNumber,
    caloriesKcal: optionalNumber,
  })
  .optional();

const split = z.object({
  startTime: z.iso.datetime({ offset: true }),
  endTime: z.iso.datetime({ offset: true }),
  activeDuration: z.string().optional(),
  metricsSummary,
});

export const exercisePoint = z.object({
  name: z.string().min(1),
  dataSource: z.object({ device: z.object({ displayName: z.string().optional() }).optional() }).optional(),
  exercise: z.object({
    displayName: z.string().optional(),
    exerciseType: z.string(),
    interval: sessionInterval,
    activeDuration: z.string().optional(),
    metricsSummary,
    splitSummaries: z.array(split).optional(),
  }),
});
export type ExercisePoint = z.infer<typeof exercisePoint>;

export const sleepPoint = z.object({
  name: z.string().min(1),
  sleep: z.object({
    interval: sessionInterval,
    type: z.string().optional(),
    metadata: z.object({ nap: z.boolean().optional() }).optional(),
    summary: z
      .object({
        minutesAsleep: optionalNumber,
        minutesAwake: optionalNumber,
        stagesSummary: z.array(z.object({ type: z.string(), minutes: optionalNumber })).optional(),
      })
      .optional(),
  }),
});

export const hrvPoint = z.object({
  dailyHeartRateVariability: z.object({
    date: z.object({ year: z.number().int(), month: z.number().int(), day: z.number().int() }),
    averageHeartRateVariabilityMilliseconds: optionalNumber,
    deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds: optionalNumber,
  }),
});

export const heartRatePoint = z.object({
  heartRate: z.object({
    beatsPerMinute: optionalNumber,
    sampleTime: z.object({ physicalTime: z.iso.datetime({ offset: true }) }),
  }),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ dataPoints: z.array(item).optional(), nextPageToken: z.string().optional() });

const SPORTS: Record<string, Sport> = {
  RUNNING: "run",
  BIKING: "ride",
  SWIMMING: "swim",
  WALKING: "walk",
  HIKING: "hike",
  WEIGHTLIFTING: "strength",
  STRENGTH_TRAINING: "strength",
};

const lastSegment = (name: string) => name.slice(name.lastIndexOf("/") + 1);
const perThousand = (v: number | null | undefined) => (v === null || v === undefined ? null : v / 1000);

/** Local wall time "YYYY-MM-DDTHH:mm:ss" of an instant at an offset: the civil time Google's filters compare. */
export function civilTime(instantMs: number, offsetSeconds: number): string {
  return new Date(instantMs + offsetSeconds * 1000).toISOString().slice(0, 19);
}

export function mapExercise(p: ExercisePoint): Activity {
  const e = p.exercise;
  const startMs = Date.parse(e.interval.startTime);
  const m = e.metricsSummary;
  const laps = (e.splitSummaries ?? []).map(
    (s, index): Lap => ({
      index,
      startTime: new Date(s.startTime).toISOString(),
      elapsedSeconds: (Date.parse(s.endTime) - Date.parse(s.startTime)) / 1000,
      movingSeconds: durationSeconds(s.activeDuration),
      distanceMeters: perThousand(s.metricsSummary?.distanceMillimeters),
      avgHeartRate: s.metricsSummary?.averageHeartRateBeatsPerMinute ?? null,
      avgPowerWatts: null,
      avgSpeedMps: perThousand(s.metricsSummary?.averageSpeedMillimetersPerSecond),
    }),
  );
  return {
    id: lastSegment(p.name),
    provider: "fitbit",
    sport: SPORTS[e.exerciseType] ?? "other",
    providerSport: e.exerciseType,
    name: e.displayName ?? e.exerciseType.toLowerCase(),
    startTime: new Date(startMs).toISOString(),
    utcOffsetSeconds: durationSeconds(e.interval.startUtcOffset) ?? 0,
    elapsedSeconds: (Date.parse(e.interval.endTime) - startMs) / 1000,
    movingSeconds: durationSeconds(e.activeDuration),
    distanceMeters: perThousand(m?.distanceMillimeters),
    elevationGainMeters: perThousand(m?.elevationGainMillimeters),
    avgHeartRate: m?.averageHeartRateBeatsPerMinute ?? null,
    maxHeartRate: null,
    avgPowerWatts: null,
    normalizedPowerWatts: null,
    avgSpeedMps: perThousand(m?.averageSpeedMillimetersPerSecond),
    calories: m?.caloriesKcal ?? null,
    device: p.dataSource?.device?.displayName ?? null,
    synthetic: false,
    laps,
  };
}

export function mapSleep(p: z.infer<typeof sleepPoint>): SleepRecord {
  const s = p.sleep;
  const endOffset = durationSeconds(s.interval.endUtcOffset) ?? 0;
  const stage = (type: string) => s.summary?.stagesSummary?.find((x) => x.type === type)?.minutes ?? null;
  const deep = stage("DEEP");
  const rem = stage("REM");
  const light = stage("LIGHT");
  return {
    id: lastSegment(p.name),
    provider: "fitbit",
    date: civilTime(Date.parse(s.interval.endTime), endOffset).slice(0, 10),
    startTime: new Date(s.interval.startTime).toISOString(),
    endTime: new Date(s.interval.endTime).toISOString(),
    utcOffsetSeconds: durationSeconds(s.interval.startUtcOffset) ?? 0,
    minutesAsleep: s.summary?.minutesAsleep ?? 0,
    minutesAwake: s.summary?.minutesAwake ?? null,
    // "Classic" sleep has only ASLEEP/RESTLESS/AWAKE, so no stage breakdown.
    stages:
      deep !== null && rem !== null && light !== null
        ? { deepMinutes: deep, lightMinutes: light, remMinutes: rem, awakeMinutes: stage("AWAKE") ?? 0 }
        : null,
    isMainSleep: !s.metadata?.nap,
    synthetic: false,
  };
}

/** null for a day without an average (the data type allows a record with only other fields set). */
export function mapHrv(p: z.infer<typeof hrvPoint>): HrvRecord | null {
  const h = p.dailyHeartRateVariability;
  if (!h.averageHeartRateVariabilityMilliseconds) return null;
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    provider: "fitbit",
    date: `${h.date.year}-${pad(h.date.month)}-${pad(h.date.day)}`,
    rmssdMs: h.averageHeartRateVariabilityMilliseconds,
    deepSleepRmssdMs: h.deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds || null,
    synthetic: false,
  };
}
