// Strava's response shapes (swagger.json SummaryActivity, DetailedActivity, StreamSet, DetailedAthlete, Fault)
// as zod schemas, and their mapping into the normalized model.
import { z } from "zod";
import type { Activity, ActivityStreams, AthleteProfile, Lap, Sport } from "../../fitness/model.js";
import { optionalNumber } from "../common.js";

export const errorBody = z.object({
  message: z.string().optional(),
  errors: z
    .array(z.object({ resource: z.string().optional(), field: z.string().optional(), code: z.string().optional() }))
    .optional(),
});

export const tokenResponse = z.object({
  token_type: z.string(),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_at: z.number().int(),
  athlete: z.object({ id: z.number().int() }).optional(),
});

export const summaryActivity = z.object({
  id: z.number().int(),
  name: z.string(),
  sport_type: z.string().optional(),
  type: z.string().optional(),
  start_date: z.iso.datetime(),
  start_date_local: z.string().optional(),
  utc_offset: optionalNumber,
  elapsed_time: z.number(),
  moving_time: optionalNumber,
  distance: optionalNumber,
  total_elevation_gain: optionalNumber,
  average_speed: optionalNumber,
  average_heartrate: optionalNumber,
  max_heartrate: optionalNumber,
  average_watts: optionalNumber,
  weighted_average_watts: optionalNumber,
  kilojoules: optionalNumber,
  device_watts: z.boolean().optional(),
});
type SummaryActivity = z.infer<typeof summaryActivity>;

export const detailedActivity = summaryActivity.extend({
  calories: optionalNumber,
  device_name: z.string().nullable().optional(),
  laps: z
    .array(
      z.object({
        lap_index: z.number().int(),
        start_date: z.iso.datetime(),
        elapsed_time: z.number(),
        moving_time: optionalNumber,
        distance: optionalNumber,
        average_speed: optionalNumber,
        average_heartrate: optionalNumber,
        average_watts: optionalNumber,
      }),
    )
    .optional(),
});

const stream = z.object({ data: z.array(z.number().nullable()) });
export const streamSet = z.object({
  time: stream.optional(),
  heartrate: stream.optional(),
  watts: stream.optional(),
  velocity_smooth: stream.optional(),
  altitude: stream.optional(),
});

export const athlete = z.object({
  id: z.number().int(),
  firstname: z.string().nullable().optional(),
  lastname: z.string().nullable().optional(),
  sex: z.enum(["M", "F"]).nullable().optional(),
  weight: optionalNumber,
  ftp: optionalNumber,
});

const SPORTS: Record<string, Sport> = {
  Run: "run",
  TrailRun: "run",
  VirtualRun: "run",
  Ride: "ride",
  MountainBikeRide: "ride",
  GravelRide: "ride",
  EBikeRide: "ride",
  EMountainBikeRide: "ride",
  VirtualRide: "ride",
  Velomobile: "ride",
  Swim: "swim",
  Walk: "walk",
  Hike: "hike",
  WeightTraining: "strength",
  Crossfit: "strength",
};

function utcOffsetOf(a: SummaryActivity): number {
  if (a.utc_offset !== null) return Math.round(a.utc_offset);
  // start_date_local is local wall time written with a Z suffix, so the difference is the offset.
  if (a.start_date_local) return Math.round((Date.parse(a.start_date_local) - Date.parse(a.start_date)) / 1000);
  return 0;
}

export function mapSummary(a: SummaryActivity): Activity {
  const label = a.sport_type ?? a.type ?? null;
  return {
    id: String(a.id),
    provider: "strava",
    sport: (label && SPORTS[label]) || "other",
    providerSport: label,
    name: a.name,
    startTime: new Date(a.start_date).toISOString(),
    utcOffsetSeconds: utcOffsetOf(a),
    elapsedSeconds: a.elapsed_time,
    movingSeconds: a.moving_time,
    distanceMeters: a.distance,
    elevationGainMeters: a.total_elevation_gain,
    avgHeartRate: a.average_heartrate,
    maxHeartRate: a.max_heartrate,
    avgPowerWatts: a.average_watts,
    normalizedPowerWatts: a.weighted_average_watts,
    avgSpeedMps: a.average_speed,
    // Summaries carry no calories; for rides kilojoules of work ≈ kcal burned (≈24% efficiency x 4.184).
    calories: a.kilojoules,
    device: null,
    synthetic: false,
  };
}

export function mapStreams(s: z.infer<typeof streamSet>): ActivityStreams | undefined {
  if (!s.time) return undefined;
  const time = s.time.data.map((t) => t ?? 0);
  const aligned = (x: { data: (number | null)[] } | undefined) =>
    x && x.data.length === time.length ? x.data : undefined;
  return {
    timeSeconds: time,
    heartRate: aligned(s.heartrate),
    powerWatts: aligned(s.watts),
    speedMps: aligned(s.velocity_smooth),
    altitudeMeters: aligned(s.altitude),
  };
}

type DetailedLap = NonNullable<z.infer<typeof detailedActivity>["laps"]>[number];

export function mapLap(l: DetailedLap): Lap {
  return {
    index: l.lap_index - 1,
    startTime: new Date(l.start_date).toISOString(),
    elapsedSeconds: l.elapsed_time,
    movingSeconds: l.moving_time,
    distanceMeters: l.distance,
    avgHeartRate: l.average_heartrate,
    avgPowerWatts: l.average_watts,
    avgSpeedMps: l.average_speed,
  };
}

export function mapAthlete(a: z.infer<typeof athlete>): AthleteProfile {
  const name = [a.firstname, a.lastname].filter(Boolean).join(" ");
  return {
    provider: "strava",
    externalId: String(a.id),
    displayName: name || null,
    sex: a.sex === "M" ? "male" : a.sex === "F" ? "female" : null,
    weightKg: a.weight,
    ftpWatts: a.ftp,
    maxHeartRate: null,
    restingHeartRate: null,
    synthetic: false,
  };
}
