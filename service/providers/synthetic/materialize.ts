// Turns a planned session into an activity. With streams, every summary figure is computed from the streams
// (means, maxima, normalized power, distance, climbing), so the two can never disagree; without, the same
// physiology gives the figures directly.
import type { Activity, ActivityStreams, Lap } from "../../fitness/model.js";
import type { Physiology } from "./athlete.js";
import { type PlannedSession, rideSpeed } from "./plan.js";
import { between, mix, noise, type Random, rng } from "./random.js";

/** Seconds between stream samples (Strava's "medium" resolution is of this order). */
export const SAMPLE_SECONDS = 5;
const LAP_METERS = { run: 1000, ride: 10_000, swim: 400 } as Record<string, number>;
export const SYNTHETIC_DEVICE = "Pierre synthetic athlete";

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Fraction of heart-rate reserve a sustained intensity settles at. */
const reserveAt = (intensity: number) => Math.min(0.97, 0.25 + 0.65 * intensity);

function speedAt(p: Physiology, sport: string, intensity: number, watts: number | null): number {
  if (sport === "ride") return rideSpeed(watts ?? p.ftpWatts * intensity);
  if (sport === "swim") return p.swimMps * (0.85 + 0.15 * intensity);
  return p.thresholdRunMps * intensity;
}

/** Intensity over time: warm-up, alternating work/recovery for intervals, steady (with late fade) otherwise. */
function intensityAt(s: PlannedSession, fraction: number): number {
  if (s.kind !== "intervals") return s.intensity * (1 - 0.04 * Math.max(0, fraction - 0.7));
  if (fraction < 0.2 || fraction >= 0.8) return 0.62;
  const block = Math.floor(((fraction - 0.2) / 0.6) * 12);
  return block % 2 === 0 ? s.intensity * 1.18 : 0.6;
}

/** Coggan's normalized power: 4th root of the mean 4th power of the 30 s rolling average. */
export function normalizedPower(power: number[], sampleSeconds: number): number {
  const window = Math.max(1, Math.round(30 / sampleSeconds));
  if (power.length < window) return power.reduce((a, b) => a + b, 0) / Math.max(1, power.length);
  let sum = 0;
  for (let i = 0; i < window; i++) sum += power[i]!;
  let total = (sum / window) ** 4;
  for (let i = window; i < power.length; i++) {
    sum += power[i]! - power[i - window]!;
    total += (sum / window) ** 4;
  }
  return (total / (power.length - window + 1)) ** 0.25;
}

interface Generated {
  streams: ActivityStreams;
  distance: number[];
}

function generateStreams(p: Physiology, s: PlannedSession, r: Random): Generated {
  const n = Math.floor(s.durationSeconds / SAMPLE_SECONDS) + 1;
  const time = new Array<number>(n);
  const hr = new Array<number>(n);
  const speed = new Array<number>(n);
  const distance = new Array<number>(n);
  const power = s.sport === "ride" ? new Array<number>(n) : undefined;
  const altitude = s.sport === "swim" ? undefined : new Array<number>(n);
  const hillPeriod = between(r, 300, 900);
  const hillAmplitude = (p.hilliness * between(r, 0.6, 1.4) * hillPeriod * SAMPLE_SECONDS) / 2000;
  const base = between(r, 20, 400);
  const reserve = p.maxHeartRate - p.restingHeartRate;
  const lag = 1 - Math.exp(-SAMPLE_SECONDS / 30);
  let heart = p.restingHeartRate + reserve * 0.35;
  let travelled = 0;
  for (let i = 0; i < n; i++) {
    const intensity = intensityAt(s, i / n);
    time[i] = i * SAMPLE_SECONDS;
    if (altitude)
      altitude[i] = round1(
        base +
          hillAmplitude *
            (Math.sin((2 * Math.PI * i) / hillPeriod) + 0.5 * Math.sin((2 * Math.PI * i) / (hillPeriod / 3.7))),
      );
    const grade =
      altitude && i > 0 ? (altitude[i]! - altitude[i - 1]!) / Math.max(1, speed[i - 1]! * SAMPLE_SECONDS) : 0;
    let watts: number | null = null;
    if (power) {
      // Riders coast now and then, which is what lifts normalized power above average power.
      watts = r() < 0.04 ? 0 : Math.max(0, Math.round(p.ftpWatts * intensity * (1 + noise(r, 0.12))));
      power[i] = watts;
    }
    const v = Math.max(
      0.8,
      speedAt(p, s.sport, intensity, watts === 0 ? p.ftpWatts * intensity : watts) *
        (1 - 6 * grade) *
        (1 + noise(r, 0.03)),
    );
    speed[i] = Math.round(v * 100) / 100;
    heart += (p.restingHeartRate + reserve * reserveAt(intensity) - (s.sport === "swim" ? 8 : 0) - heart) * lag;
    hr[i] = Math.min(p.maxHeartRate, Math.round(heart + noise(r, 1.5)));
    if (i > 0) travelled += speed[i]! * SAMPLE_SECONDS;
    distance[i] = travelled;
  }
  return {
    streams: { timeSeconds: time, heartRate: hr, powerWatts: power, speedMps: speed, altitudeMeters: altitude },
    distance,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function lapsFromStreams(start: number, g: Generated, lapMeters: number): Lap[] {
  const laps: Lap[] = [];
  const { timeSeconds, heartRate, powerWatts, speedMps } = g.streams;
  let from = 0;
  for (let i = 1; i < timeSeconds.length; i++) {
    const last = i === timeSeconds.length - 1;
    if (g.distance[i]! < (laps.length + 1) * lapMeters && !last) continue;
    const slice = <T>(xs: T[] | undefined) => xs?.slice(from, i + 1) as number[] | undefined;
    const hr = slice(heartRate);
    const watts = slice(powerWatts);
    const elapsed = timeSeconds[i]! - timeSeconds[from]!;
    laps.push({
      index: laps.length,
      startTime: new Date(start + timeSeconds[from]! * 1000).toISOString(),
      elapsedSeconds: elapsed,
      movingSeconds: elapsed,
      distanceMeters: round1(g.distance[i]! - g.distance[from]!),
      avgHeartRate: hr ? round1(mean(hr)) : null,
      avgPowerWatts: watts ? round1(mean(watts)) : null,
      avgSpeedMps: speedMps ? Math.round(mean(slice(speedMps)!) * 100) / 100 : null,
    });
    from = i;
  }
  return laps;
}

function evenLaps(start: number, a: Activity, lapMeters: number): Lap[] {
  const distance = a.distanceMeters ?? 0;
  const count = Math.max(1, Math.ceil(distance / lapMeters));
  return Array.from({ length: count }, (_, index) => {
    const meters = Math.min(lapMeters, distance - index * lapMeters);
    const seconds = a.avgSpeedMps ? meters / a.avgSpeedMps : a.elapsedSeconds / count;
    return {
      index,
      startTime: new Date(start + (index * lapMeters * 1000) / (a.avgSpeedMps || 1)).toISOString(),
      elapsedSeconds: Math.round(seconds),
      movingSeconds: Math.round(seconds),
      distanceMeters: round1(meters),
      avgHeartRate: a.avgHeartRate,
      avgPowerWatts: a.avgPowerWatts,
      avgSpeedMps: a.avgSpeedMps,
    };
  });
}

export function materialize(p: Physiology, date: string, dayNumber: number, s: PlannedSession): Activity {
  const r = rng(mix(mix(p.seed, dayNumber), s.slot + 1000));
  const start = Date.parse(`${date}T00:00:00Z`) + (s.startLocalSeconds - p.utcOffsetSeconds) * 1000;
  const base = {
    id: `${date}-${s.slot}`,
    provider: "synthetic" as const,
    sport: s.sport,
    // No provider label to keep, so the session's kind (easy, intervals, long, race...) takes its place.
    providerSport: s.kind,
    name: s.name,
    startTime: new Date(start).toISOString(),
    utcOffsetSeconds: p.utcOffsetSeconds,
    elapsedSeconds: s.durationSeconds,
    device: SYNTHETIC_DEVICE,
    synthetic: true,
  };
  const lapMeters = LAP_METERS[s.sport]!;
  if (s.withStreams) {
    const g = generateStreams(p, s, r);
    const { heartRate, powerWatts, speedMps, altitudeMeters } = g.streams as Required<ActivityStreams> & {
      altitudeMeters?: number[];
    };
    const hr = heartRate as number[];
    const watts = powerWatts as number[] | undefined;
    const speeds = speedMps as number[];
    const distance = g.distance[g.distance.length - 1]!;
    let gain = 0;
    if (altitudeMeters)
      for (let i = 1; i < altitudeMeters.length; i++) gain += Math.max(0, altitudeMeters[i]! - altitudeMeters[i - 1]!);
    const avgPower = watts ? mean(watts) : null;
    const activity: Activity = {
      ...base,
      movingSeconds: s.durationSeconds,
      distanceMeters: round1(distance),
      elevationGainMeters: altitudeMeters ? round1(gain) : 0,
      avgHeartRate: round1(mean(hr)),
      maxHeartRate: Math.max(...hr),
      avgPowerWatts: avgPower === null ? null : round1(avgPower),
      normalizedPowerWatts: watts ? round1(normalizedPower(watts, SAMPLE_SECONDS)) : null,
      avgSpeedMps: Math.round(mean(speeds) * 100) / 100,
      calories: calories(p, s, distance, avgPower),
      laps: [],
      streams: g.streams,
    };
    activity.laps = lapsFromStreams(start, g, lapMeters);
    return activity;
  }
  const npWatts = s.sport === "ride" ? p.ftpWatts * s.intensity : null;
  const avgPower = npWatts === null ? null : npWatts / between(r, 1.03, 1.12);
  const speed = speedAt(p, s.sport, s.intensity, npWatts) * between(r, 0.96, 1.03);
  const moving = Math.round(s.durationSeconds * (s.sport === "ride" ? between(r, 0.93, 0.99) : between(r, 0.97, 1)));
  const distance = s.raceDistanceMeters ?? speed * moving;
  const avgHr =
    p.restingHeartRate +
    (p.maxHeartRate - p.restingHeartRate) * reserveAt(s.intensity) -
    (s.sport === "swim" ? 8 : 0) +
    noise(r, 2);
  const activity: Activity = {
    ...base,
    movingSeconds: moving,
    distanceMeters: round1(distance),
    elevationGainMeters: s.sport === "swim" ? 0 : round1((distance / 1000) * p.hilliness * between(r, 0.6, 1.4)),
    avgHeartRate: round1(avgHr),
    maxHeartRate: Math.min(p.maxHeartRate, Math.round(avgHr + between(r, 8, 18))),
    avgPowerWatts: avgPower === null ? null : round1(avgPower),
    normalizedPowerWatts: npWatts === null ? null : round1(npWatts),
    avgSpeedMps: Math.round((distance / moving) * 100) / 100,
    calories: calories(p, s, distance, avgPower),
  };
  activity.laps = evenLaps(start, activity, lapMeters);
  return activity;
}

function calories(p: Physiology, s: PlannedSession, distanceMeters: number, avgPower: number | null): number {
  // Cycling: kJ of work ≈ kcal burned. Running ≈ 1 kcal per kg per km. Swimming ≈ 8-11 kcal per minute.
  if (s.sport === "ride" && avgPower !== null) return Math.round((avgPower * s.durationSeconds) / 1000);
  if (s.sport === "run") return Math.round((p.weightKg * distanceMeters) / 1000);
  return Math.round((s.durationSeconds / 60) * (6 + 5 * s.intensity));
}
