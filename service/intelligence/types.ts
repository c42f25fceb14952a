// The engine's own input types: narrow and structural, so the provider/sync layer can hand over its
// normalized rows (or anything shaped like them) without the engine importing storage or provider code.
// Everything here is plain data: results built from it stay JSON-serialisable (MCP structuredContent).

/** One sensor's samples; null is a dropout inside a recorded series (the fitness model's convention). */
export type Samples = readonly (number | null)[];

/** Sample streams of one activity, index-aligned with `time` (seconds from the start). */
export interface ActivityStreams {
  time: readonly number[];
  heartrate?: Samples;
  watts?: Samples;
  /** m/s */
  speed?: Samples;
  /** m */
  altitude?: Samples;
}

export interface ActivityInput {
  id: string;
  /** Provider sport type as normalized upstream (e.g. "Run", "Ride", "VirtualRide", "Swim"). */
  sport: string;
  /** UTC instant, ISO 8601. */
  startTime: string;
  /** The athlete's local offset from UTC at the start, in minutes (e.g. -300 for New York in winter). */
  utcOffsetMinutes: number;
  elapsedSeconds: number;
  movingSeconds?: number;
  distanceMeters?: number;
  elevationGainMeters?: number;
  averageHeartRate?: number;
  maxHeartRate?: number;
  averagePower?: number;
  /** As computed by the device/provider; the engine prefers its own from `streams.watts`. */
  normalizedPower?: number;
  /** m/s */
  averageSpeed?: number;
  streams?: ActivityStreams;
}

export interface SleepNight {
  /** UTC instants, ISO 8601. */
  start: string;
  end: string;
  /** Time asleep; when absent, end - start minus awake minutes. */
  durationMinutes?: number;
  deepMinutes?: number;
  remMinutes?: number;
  lightMinutes?: number;
  awakeMinutes?: number;
  /** Time asleep / time in bed, 0..100. */
  efficiencyPercent?: number;
}

export interface HrvSample {
  /** Local calendar date YYYY-MM-DD of the (morning) measurement. */
  date: string;
  /** Root mean square of successive RR differences, ms. */
  rmssd: number;
}

export type Sex = "male" | "female";

/** The user's fitness configuration; any field may be unset (tenant default and user override merged upstream). */
export interface FitnessConfig {
  ftp?: number;
  lthr?: number;
  maxHr?: number;
  restingHr?: number;
  thresholdPaceSecPerKm?: number;
  weightKg?: number;
  heightCm?: number;
  age?: number;
  sex?: Sex;
}

/** Which inputs a result had to estimate, and which it could not get at all. Every result carries one. */
export interface Provenance {
  estimated: string[];
  missing: string[];
}

/** Merges provenance lists without duplicates, keeping first-seen order (an array: there may be thousands). */
export function mergeProvenance(parts: Iterable<Provenance>): Provenance {
  const estimated = new Set<string>();
  const missing = new Set<string>();
  for (const part of parts) {
    for (const item of part.estimated) estimated.add(item);
    for (const item of part.missing) missing.add(item);
  }
  return { estimated: [...estimated], missing: [...missing] };
}
